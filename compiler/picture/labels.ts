/**
 * The words of the picture: what a box says (`conv 3x3 /2 → 16x16x32`, its
 * `as` name and mask group) and what its hover says (the node as
 * `figs compile` dumps it, where it was written, its cost and its groups).
 */
import { formatCount } from "../cost/index.js";
import { formatNode } from "../elaborate/dump.js";
import type { GraphNode, Pair, Padding, Scope } from "../graph.js";
import type { ChannelLayout, MaskGroup } from "../masks/types.js";
import { formatShape } from "../shapes/index.js";

/** Group tags shown in a box before `+ N more`. */
const TAGS_SHOWN = 3;

/** `conv 3x3 /2`, `dwconv 5x5 ×2`, `maxpool 3x3 /2 valid`, `dropout 0.2`, `relu`. */
export function opText(node: GraphNode): string {
  switch (node.op) {
    case "conv":
      return [
        `conv ${pair(node.attrs.kernel)}`,
        stride(node.attrs.stride),
        node.attrs.groups > 1 ? `${node.attrs.groups} groups` : "",
        padding(node.attrs.padding),
      ]
        .filter(Boolean)
        .join(" ");
    case "dwconv":
      return [
        `dwconv ${pair(node.attrs.kernel)}`,
        stride(node.attrs.stride),
        node.attrs.multiplier > 1 ? `×${node.attrs.multiplier}` : "",
        padding(node.attrs.padding),
      ]
        .filter(Boolean)
        .join(" ");
    case "maxpool":
    case "avgpool":
      return [`${node.op} ${pair(node.attrs.kernel)}`, stride(node.attrs.stride), padding(node.attrs.padding)]
        .filter(Boolean)
        .join(" ");
    case "dropout":
      return `dropout ${node.attrs.rate}`;
    default:
      return node.op;
  }
}

function pair([a, b]: Pair): string {
  return `${a}x${b}`;
}

function stride(value: Pair): string {
  return value[0] === 1 && value[1] === 1 ? "" : `/${value[0] === value[1] ? value[0] : pair(value)}`;
}

function padding(value: Padding): string {
  return value === "valid" ? "valid" : "";
}

/** The `as` name a user gave the op, or undefined for the numbered default (`conv_2`). */
export function givenName(node: GraphNode): string | undefined {
  const last = node.name.split(/[./]/).pop() ?? node.name;
  return isNumbered(last, node.op) ? undefined : last;
}

/** `conv_2` for `conv`: the name figs gives an instance that was not named with `as`. */
function isNumbered(name: string, base: string): boolean {
  return name.startsWith(`${base}_`) && /^\d+$/.test(name.slice(base.length + 1));
}

/** `g2`, `g3 + g5`, `fixed`: the groups of a layout, each once, in channel order. */
export function groupTags(layout: ChannelLayout, groups: readonly MaskGroup[]): string {
  const tags = [...new Set(layout.map((slice) => (groups[slice.group]?.searchable ? `g${slice.group}` : "fixed")))];
  if (tags.length === 0) return "fixed";
  const more = tags.length - TAGS_SHOWN;
  return more > 1 ? [...tags.slice(0, TAGS_SHOWN), `${more} more`].join(" + ") : tags.join(" + ");
}

export function opLabel(node: GraphNode, layout: ChannelLayout, groups: readonly MaskGroup[]): string[] {
  const name = givenName(node);
  const tags = groupTags(layout, groups);
  return [`${opText(node)} → ${formatShape(node.shape)}`, name === undefined ? tags : `${name} · ${tags}`];
}

export interface Cost {
  readonly params: number;
  readonly madds: number;
}

export function costLine(cost: Cost): string {
  return `params ${formatCount(cost.params)} · madds ${formatCount(cost.madds)} at full width`;
}

export function opHover(node: GraphNode, layout: ChannelLayout, groups: readonly MaskGroup[], cost: Cost): string[] {
  const { file, start } = node.range;
  return [formatNode(node), `${file}:${start.line}:${start.column}`, costLine(cost), ...groupLines(layout, groups)];
}

/** One line per group of the layout: its name, its size, whether it is searched. */
export function groupLines(layout: ChannelLayout, groups: readonly MaskGroup[]): string[] {
  const lines = new Map<string, string>();
  for (const slice of layout) {
    const group = groups[slice.group];
    if (!group) continue;
    const size =
      slice.repeat > 1 ? `${group.size} masks, each over ${slice.repeat} channels` : `${group.size} channels`;
    const masked = group.searchable ? "" : ", fixed width (no masks)";
    lines.set(`${slice.group}/${slice.repeat}`, `mask group g${group.id} (${group.name}): ${size}${masked}`);
  }
  return [...lines.values()];
}

/** `mbconv_0`, or `layer1 (bottleneck_stage)` when the instance was named with `as`. */
export function scopeLabel(scope: Scope): string {
  return isNumbered(scope.name, scope.definition) ? scope.name : `${scope.name} (${scope.definition})`;
}

export function scopeHover(scope: Scope, ops: number, cost: Cost): string[] {
  const count = `${ops} ${ops === 1 ? "op" : "ops"}`;
  return [`${scope.name}: ${scope.kind} ${scope.definition}`, `${count} · ${costLine(cost)}`];
}
