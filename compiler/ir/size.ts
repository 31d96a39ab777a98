/**
 * The IR-size limit. The IR repeats per node its name, its file and the
 * scopes it sits in, so long names and paths or deep definitions multiply:
 * the node and scope limits alone would let an IR reach gigabytes. Before
 * anything is written, its size is estimated from the graph (within a few
 * percent: the names, paths and scope entries that vary, plus what every
 * node and group costs; within about 15% on the spaces in spaces/), and a
 * file larger than any figs writes is not read.
 */
import { codeOf } from "../../diagnostics/codes.js";
import { error, fileError, type Diagnostic } from "../../diagnostics/diagnostic.js";
import type { SourceRange } from "../../diagnostics/source.js";
import { formatBytes } from "../../grammar/read-source.js";
import type { Graph, Scope } from "../graph.js";
import type { MaskPlan } from "../masks/types.js";

/**
 * 80 MiB: 120,000 convs (the node limit) write 73 MB, and `figs cost` reads
 * that back in about 5 s and 600 MB; longer names or paths, or deeper
 * scopes, than that space's stop here.
 */
export const MAX_IR_BYTES = 80 * 2 ** 20;

/** Reading allows for the estimate's error (15%): no IR figs writes is refused. */
export const MAX_IR_READ_BYTES = 100 * 2 ** 20;

/** JSON characters of a node besides its name, file, layout and scopes (ids, attrs, shape, positions), generously. */
const NODE_BYTES = 330;
const SCOPE_BYTES = 40;
const SLICE_BYTES = 36;
const GROUP_BYTES = 100;

export function estimatedIrBytes(graph: Graph, plan: MaskPlan): number {
  let bytes = 0;
  const scopeBytes = new Map<readonly Scope[], number>();
  for (const node of graph.nodes) {
    let scopes = scopeBytes.get(node.scopes);
    if (scopes === undefined) {
      scopes = 0;
      for (const scope of node.scopes) scopes += SCOPE_BYTES + scope.name.length + scope.definition.length;
      scopeBytes.set(node.scopes, scopes);
    }
    const layout = (plan.layouts[node.id]?.length ?? 0) * SLICE_BYTES;
    bytes += NODE_BYTES + node.name.length + node.range.file.length + node.inputs.length * 8 + layout + scopes;
  }
  for (const group of plan.groups) bytes += GROUP_BYTES + group.name.length + group.producers.length * 40;
  return bytes;
}

/** FIGS4009 when the space's IR would be larger than the limit; undefined when it fits. */
export function irSizeProblem(graph: Graph, plan: MaskPlan, at: SourceRange): Diagnostic | undefined {
  const bytes = estimatedIrBytes(graph, plan);
  if (bytes <= MAX_IR_BYTES) return undefined;
  const message =
    `the IR of this space would be about ${formatBytes(bytes)}, ` +
    `more than the ${formatBytes(MAX_IR_BYTES)} figs writes (the IR-size limit): ` +
    `each of its ${graph.nodes.length.toLocaleString("en-US")} nodes repeats its name, file and scopes; ` +
    `shorten names and paths, or make the space smaller`;
  return error(codeOf("IrTooLarge"), message, at);
}

/**
 * FIGS4009 for an IR file larger than any figs writes: it is not read (JSON.parse would need several times its
 * size).
 */
export function irFileTooLarge(bytes: number, shownPath: string): Diagnostic {
  const message =
    `${shownPath} is ${formatBytes(bytes)}, more than the ${formatBytes(MAX_IR_READ_BYTES)} of IR figs reads ` +
    `(the IR-size limit; figs writes none larger)`;
  return fileError(codeOf("IrTooLarge"), message, shownPath);
}
