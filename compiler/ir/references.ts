/** What the schema cannot say: ids are indexes, inputs come earlier, layouts name existing groups and add up. */
import type { Ir, IrNode } from "./types.js";

export function checkIrReferences(ir: Ir): string[] {
  const problems: string[] = [];
  ir.nodes.forEach((node, index) => problems.push(...checkNode(node, index, ir)));
  ir.groups.forEach((group, index) => {
    if (group.id !== index) problems.push(`/groups/${index} has id ${group.id}`);
    const isGate = group.gate !== undefined;
    if (isGate ? group.gate >= ir.nodes.length || group.size !== 1 : group.producers.length === 0)
      problems.push(`/groups/${index} has neither producers nor a gate node`);
    for (const p of group.producers) {
      if (p.node >= ir.nodes.length || p.end - p.start !== group.size)
        problems.push(`/groups/${index} has a producer range that does not fit`);
    }
  });
  (ir.gated ?? []).forEach((v, k) => {
    const gatesExist = v.gates.every((z) => ir.groups[z]?.gate !== undefined);
    if (v.group >= ir.groups.length || !gatesExist)
      problems.push(`/gated/${k} names a group or gate that does not exist`);
  });
  if (ir.output >= ir.nodes.length) problems.push(`/output names node ${ir.output}, which does not exist`);
  return problems.slice(0, 10);
}

function checkNode(node: IrNode, index: number, ir: Ir): string[] {
  const problems: string[] = [];
  if (node.id !== index) problems.push(`/nodes/${index} has id ${node.id}`);
  if (node.inputs.some((input) => input >= index)) problems.push(`/nodes/${index} reads a node that comes after it`);
  let channels = 0;
  for (const slice of node.layout) {
    const group = ir.groups[slice.group];
    if (!group || group.size !== slice.size)
      problems.push(`/nodes/${index}/layout names group ${slice.group} with the wrong size`);
    channels += slice.size * slice.repeat;
  }
  if (channels !== node.shape.channels)
    problems.push(`/nodes/${index}/layout covers ${channels} channels, not ${node.shape.channels}`);
  return problems;
}
