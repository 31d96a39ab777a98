/**
 * Random sub-architectures of a space: the FiGS paper's random-search baseline
 * (section 4.1, Fig. 2 right): a random subset of the operators and one uniform
 * width multiplier w ∈ [0.25, 1] for the whole network.
 *
 * In IR terms an operator is removed by putting one of its searchable groups at
 * width 0 (which removes its producer, then everything left without input or
 * consumer); every kept group gets max(1, round(w·size)). Only groups whose
 * removal alone leaves the network connected are ever dropped (a ResNet stage's
 * residual stream is not), and a draw that still disconnects it is drawn again.
 */
import type { Ir } from "../ir/types.js";
import { Liveness, dataflowOf } from "./liveness.js";
import type { Random } from "./random.js";

export interface SampleOptions {
  /** Probability that each droppable searchable group is put at width 0. */
  readonly dropProbability: number;
  readonly minMultiplier: number;
  readonly maxMultiplier: number;
  /** Draws before giving up on dropping and keeping every group (at the drawn multiplier). */
  readonly maxAttempts: number;
}

export const DEFAULT_SAMPLE_OPTIONS: SampleOptions = {
  dropProbability: 0.3,
  minMultiplier: 0.25,
  maxMultiplier: 1,
  maxAttempts: 50,
};

/** One random sub-architecture: integer widths per group id (fixed groups at their size). */
export interface SampledArchitecture {
  readonly widths: Int32Array;
  readonly multiplier: number;
  /** Searchable groups at width 0 after removal (dropped, or left without input or consumer). */
  readonly removedGroups: number;
}

export class ArchitectureSampler {
  readonly droppable: readonly number[];
  private readonly liveness: Liveness;
  private readonly sizes: Int32Array;
  private readonly searchable: Uint8Array;
  private readonly drawn: Int32Array;

  constructor(
    ir: Ir,
    readonly options: SampleOptions = DEFAULT_SAMPLE_OPTIONS,
  ) {
    this.liveness = new Liveness(dataflowOf(ir));
    this.sizes = Int32Array.from(ir.groups, (g) => g.size);
    this.searchable = Uint8Array.from(ir.groups, (g) => (g.searchable ? 1 : 0));
    this.drawn = new Int32Array(ir.groups.length);
    this.droppable = this.findDroppable();
  }

  /** Writes a random architecture's widths into `into` (a fresh array by default). */
  sample(random: Random, into: Int32Array = new Int32Array(this.sizes.length)): SampledArchitecture {
    const { minMultiplier, maxMultiplier, maxAttempts } = this.options;
    for (let attempt = 0; attempt <= maxAttempts; attempt++) {
      const multiplier = minMultiplier + (maxMultiplier - minMultiplier) * random();
      this.draw(multiplier, attempt < maxAttempts ? random : undefined);
      if (this.liveness.prune(this.drawn, into))
        return { widths: into, multiplier, removedGroups: this.countRemoved(into) };
    }
    // Unreachable for a space that compiles: with nothing dropped every op has input and consumer.
    into.set(this.sizes);
    return { widths: into, multiplier: 1, removedGroups: 0 };
  }

  /** Every searchable group at max(1, round(w·size)), nothing dropped: the width-multiplier baseline. */
  scaled(multiplier: number, into: Int32Array = new Int32Array(this.sizes.length)): Int32Array {
    this.draw(multiplier, undefined);
    into.set(this.drawn);
    return into;
  }

  private draw(multiplier: number, random: Random | undefined): void {
    const { sizes, searchable, drawn } = this;
    for (let g = 0; g < sizes.length; g++) {
      drawn[g] = searchable[g] ? Math.max(1, Math.round(multiplier * (sizes[g] as number))) : (sizes[g] as number);
    }
    if (!random) return;
    for (const g of this.droppable) if (random() < this.options.dropProbability) drawn[g] = 0;
  }

  private countRemoved(widths: Int32Array): number {
    let removed = 0;
    for (let g = 0; g < widths.length; g++) if (this.searchable[g] && widths[g] === 0) removed++;
    return removed;
  }

  private findDroppable(): number[] {
    const scratch = new Int32Array(this.sizes.length);
    const droppable: number[] = [];
    for (let g = 0; g < this.sizes.length; g++) {
      if (!this.searchable[g]) continue;
      this.drawn.set(this.sizes);
      this.drawn[g] = 0;
      if (this.liveness.prune(this.drawn, scratch)) droppable.push(g);
    }
    return droppable;
  }
}
