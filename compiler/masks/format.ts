/** A readable text form of a mask plan: the group table, then each node's layout. Used by goldens and reports. */
import type { Graph } from "../graph.js";
import type { ChannelLayout, MaskPlan } from "./types.js";

export function formatGroupTable(plan: MaskPlan): string {
  const lines = ["group  size  searchable  name  producers"];
  for (const group of plan.groups) {
    const producers =
      group.gate === undefined
        ? group.producers.map((p) => `#${p.node}[${p.start}:${p.end}]`).join(" ")
        : `gate of #${group.gate}`;
    lines.push(`g${group.id}  ${group.size}  ${group.searchable ? "yes" : "no"}  ${group.name}  ${producers}`);
  }
  return lines.join("\n");
}

export function formatLayout(layout: ChannelLayout): string {
  if (layout.length === 0) return "[]";
  return layout
    .map((s) => {
      const slice = s.repeat === 1 ? `g${s.group}:${s.size}` : `g${s.group}:${s.size}x${s.repeat}`;
      return s.gates ? `${slice}?${s.gates.map((z) => `g${z}`).join("&")}` : slice;
    })
    .join(" ");
}

export function formatMaskPlan(graph: Graph, plan: MaskPlan): string {
  const nodes = graph.nodes.map((node) => {
    const inputs = node.inputs.length > 0 ? `(${node.inputs.map((i) => `#${i}`).join(", ")})` : "";
    return `#${node.id} ${node.op}${inputs} ${node.name}: ${formatLayout(plan.layouts[node.id] ?? [])}`;
  });
  return `${formatGroupTable(plan)}\n\nlayouts\n${nodes.join("\n")}\n`;
}
