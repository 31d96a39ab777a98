/**
 * Which parts of a space survive at given group widths (DESIGN.md "Export"):
 * a group at width 0 removes its producers; an op left with no live input,
 * or whose output reaches no consumer on the way to the space's output, is
 * removed too. Works on the IR alone, with flat arrays, because the sampler
 * runs it for every one of thousands of random architectures.
 */
import type { Ir } from "../ir/types.js";
import { isMaskable, isSource } from "../ops/index.js";
import { groupNodes } from "../masks/types.js";

const INPUT = 0;
const PRODUCER = 1;
const PASS = 2;

/** The IR's dataflow in flat arrays: node kinds, inputs and the groups each producer writes. */
export interface Dataflow {
  readonly nodeCount: number;
  readonly output: number;
  readonly kind: Uint8Array;
  /** Inputs of node n: inputIds[inputStart[n] .. inputStart[n+1]). */
  readonly inputStart: Int32Array;
  readonly inputIds: Int32Array;
  /** Groups in the output layout of producer n: ownGroups[ownStart[n] .. ownStart[n+1]). */
  readonly ownStart: Int32Array;
  readonly ownGroups: Int32Array;
  /** Producer nodes of group g: producerNodes[producerStart[g] .. producerStart[g+1]). */
  readonly producerStart: Int32Array;
  readonly producerNodes: Int32Array;
  readonly groupCount: number;
}

export function dataflowOf(ir: Ir): Dataflow {
  const nodeCount = ir.nodes.length;
  // An operator gate lives like a producer whose one group is the gate: off, it removes what it follows.
  const gateOf = new Map<number, number>();
  for (const g of ir.groups) if (g.gate !== undefined) gateOf.set(g.gate, g.id);
  const kind = Uint8Array.from(ir.nodes, (n) =>
    isSource(n.op) ? INPUT : isMaskable(n.op) || gateOf.has(n.id) ? PRODUCER : PASS,
  );
  const inputs = flatten(ir.nodes.map((n) => n.inputs));
  const ownGroups = (n: Ir["nodes"][number], i: number): number[] => {
    const gate = gateOf.get(n.id);
    if (gate !== undefined) return [gate];
    return kind[i] === PRODUCER ? [...new Set(n.layout.map((s) => s.group))] : [];
  };
  const own = flatten(ir.nodes.map(ownGroups));
  const producers = flatten(ir.groups.map(groupNodes));
  return {
    nodeCount,
    output: ir.output,
    kind,
    inputStart: inputs.start,
    inputIds: inputs.items,
    ownStart: own.start,
    ownGroups: own.items,
    producerStart: producers.start,
    producerNodes: producers.items,
    groupCount: ir.groups.length,
  };
}

function flatten(lists: readonly (readonly number[])[]): { start: Int32Array; items: Int32Array } {
  const start = new Int32Array(lists.length + 1);
  lists.forEach((list, i) => (start[i + 1] = (start[i] as number) + list.length));
  return { start, items: Int32Array.from(lists.flat()) };
}

/** Scratch space reused across calls, so sampling allocates nothing per architecture. */
export class Liveness {
  private readonly alive: Uint8Array;
  private readonly useful: Uint8Array;

  constructor(private readonly flow: Dataflow) {
    this.alive = new Uint8Array(flow.nodeCount);
    this.useful = new Uint8Array(flow.nodeCount);
  }

  /**
   * Writes into `effective` the widths after removal (groups with no surviving producer at 0)
   * and returns whether the output survives. `widths` and `effective` are indexed by group id.
   */
  prune(widths: ArrayLike<number>, effective: Int32Array | Float64Array): boolean {
    this.markAlive(widths);
    if (!this.alive[this.flow.output]) return false;
    this.markUseful();
    const { producerStart, producerNodes } = this.flow;
    for (let g = 0; g < this.flow.groupCount; g++) {
      let survives = false;
      for (let k = producerStart[g] as number; k < (producerStart[g + 1] as number) && !survives; k++) {
        survives = this.useful[producerNodes[k] as number] === 1;
      }
      effective[g] = survives ? (widths[g] as number) : 0;
    }
    return true;
  }

  private markAlive(widths: ArrayLike<number>): void {
    const { kind, inputStart, inputIds, ownStart, ownGroups, nodeCount } = this.flow;
    const alive = this.alive;
    for (let n = 0; n < nodeCount; n++) {
      if (kind[n] === INPUT) {
        alive[n] = 1;
        continue;
      }
      let fed = 0;
      for (let k = inputStart[n] as number; k < (inputStart[n + 1] as number) && !fed; k++)
        fed = alive[inputIds[k] as number] as number;
      if (fed && kind[n] === PRODUCER) {
        let wide = 0;
        for (let k = ownStart[n] as number; k < (ownStart[n + 1] as number) && !wide; k++)
          wide = (widths[ownGroups[k] as number] as number) > 0 ? 1 : 0;
        fed = wide;
      }
      alive[n] = fed;
    }
  }

  private markUseful(): void {
    const { inputStart, inputIds, nodeCount, output } = this.flow;
    const { alive, useful } = this;
    useful.fill(0);
    useful[output] = 1;
    for (let n = nodeCount - 1; n >= 0; n--) {
      if (!useful[n]) continue;
      for (let k = inputStart[n] as number; k < (inputStart[n + 1] as number); k++) {
        const source = inputIds[k] as number;
        if (alive[source]) useful[source] = 1;
      }
    }
  }
}
