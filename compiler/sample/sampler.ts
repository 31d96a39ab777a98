/**
 * Random sub-architectures of a space: the FiGS paper's random-search baseline
 * (section 4.1, Fig. 2 right): a random subset of the operators and one uniform
 * width multiplier w ∈ [0.25, 1] for the whole network (`widths: "uniform"`),
 * or a width fraction of its own for every group (`"independent"`: per-layer
 * widths, a random search that is not the width multiplier in disguise).
 *
 * In IR terms an operator is removed by putting one of its searchable groups at
 * width 0 (which removes its producer, then everything left without input or
 * consumer; an operator gate is such a group); every kept group gets
 * max(1, round(f·size)), f = w or its own fraction. Only groups whose removal
 * alone leaves the network connected are ever dropped (a ResNet stage's
 * residual stream is not), and a draw that still disconnects it is drawn again.
 * A draw can be scaled as a whole: every kept group at max(1, round(min(1, s·f)·size))
 * (budget.ts finds the s that lands on a cost).
 */
import type { Ir } from "../ir/types.js";
import { Liveness, dataflowOf } from "./liveness.js";
import type { Random } from "./random.js";

export type WidthMode = "uniform" | "independent";

export interface SampleOptions {
  /** Probability that each droppable searchable group is put at width 0. */
  readonly dropProbability: number;
  readonly minMultiplier: number;
  readonly maxMultiplier: number;
  /** Draws before giving up on dropping and keeping every group (at the drawn multiplier). */
  readonly maxAttempts: number;
  /** One multiplier for all groups (the paper's), or each group its own fraction in the same range. */
  readonly widths: WidthMode;
}

export const DEFAULT_SAMPLE_OPTIONS: SampleOptions = {
  dropProbability: 0.3,
  minMultiplier: 0.25,
  maxMultiplier: 1,
  maxAttempts: 50,
  widths: "uniform",
};

/** One random sub-architecture: integer widths per group id (fixed groups at their size). */
export interface SampledArchitecture {
  readonly widths: Int32Array;
  /** The uniform multiplier w; with independent widths, the kept share Σ w_g / Σ size_g of the searchable groups. */
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
  private readonly fractions: Float64Array;
  private readonly dropped: Uint8Array;

  /**
   * `exportable`: whether widths (after removal) make an architecture export can write (runtime/export checks
   * what liveness cannot: a shuffle or split that a removed branch would leave with unequal groups). Groups whose
   * removal alone is not exportable are never dropped, and a draw that is not is drawn again.
   */
  constructor(
    ir: Ir,
    readonly options: SampleOptions = DEFAULT_SAMPLE_OPTIONS,
    readonly exportable: (widths: Int32Array) => boolean = () => true,
  ) {
    this.liveness = new Liveness(dataflowOf(ir));
    this.sizes = Int32Array.from(ir.groups, (g) => g.size);
    this.searchable = Uint8Array.from(ir.groups, (g) => (g.searchable ? 1 : 0));
    this.drawn = new Int32Array(ir.groups.length);
    this.fractions = new Float64Array(ir.groups.length);
    this.dropped = new Uint8Array(ir.groups.length);
    this.droppable = this.findDroppable();
  }

  get groupCount(): number {
    return this.sizes.length;
  }

  /** Writes a random architecture's widths into `into` (a fresh array by default). */
  sample(random: Random, into: Int32Array = new Int32Array(this.sizes.length)): SampledArchitecture {
    const { maxAttempts } = this.options;
    for (let attempt = 0; attempt <= maxAttempts; attempt++) {
      this.drawStructure(random, attempt < maxAttempts);
      if (this.widthsAt(1, into) && this.exportable(into)) return this.described(into);
    }
    // Unreachable for a space that compiles: with nothing dropped every op has input and consumer.
    into.set(this.sizes);
    return { widths: into, multiplier: 1, removedGroups: 0 };
  }

  /**
   * Draws a structure: the fractions (one w, or one per group) and the dropped groups (none unless `drop`). Then
   * `widthsAt(s)` gives its widths at any scale s.
   */
  drawStructure(random: Random, drop = true): void {
    const { minMultiplier, maxMultiplier, dropProbability, widths } = this.options;
    const span = maxMultiplier - minMultiplier;
    const shared = minMultiplier + span * random();
    for (let g = 0; g < this.sizes.length; g++) {
      this.fractions[g] = widths === "uniform" ? shared : minMultiplier + span * random();
      this.dropped[g] = 0;
    }
    if (!drop) return;
    for (const g of this.droppable) if (random() < dropProbability) this.dropped[g] = 1;
  }

  /**
   * The drawn structure's widths at scale s, after removal, into `into`; false when it disconnects the network.
   * Whether export can write them depends on the structure only (a kept group keeps ≥ 1 channel): `exportable`.
   */
  widthsAt(scale: number, into: Int32Array): boolean {
    const { sizes, searchable, drawn, fractions, dropped } = this;
    for (let g = 0; g < sizes.length; g++) {
      const size = sizes[g] as number;
      if (!searchable[g]) drawn[g] = size;
      else if (dropped[g]) drawn[g] = 0;
      else drawn[g] = Math.max(1, Math.round(Math.min(1, scale * (fractions[g] as number)) * size));
    }
    return this.liveness.prune(drawn, into);
  }

  /** The largest scale that still changes a width: every drawn fraction times it reaches 1. */
  fullScale(): number {
    let smallest = 1;
    for (let g = 0; g < this.sizes.length; g++)
      if (this.searchable[g] && !this.dropped[g]) smallest = Math.min(smallest, this.fractions[g] as number);
    return 1 / smallest;
  }

  /** Widths, multiplier (or mean kept fraction) and removed groups of widths from `widthsAt`. */
  described(widths: Int32Array): SampledArchitecture {
    return { widths, multiplier: this.meanFraction(widths), removedGroups: this.countRemoved(widths) };
  }

  /** Every searchable group at max(1, round(w·size)), nothing dropped: the width-multiplier baseline. */
  scaled(multiplier: number, into: Int32Array = new Int32Array(this.sizes.length)): Int32Array {
    const { sizes, searchable } = this;
    for (let g = 0; g < sizes.length; g++) {
      const size = sizes[g] as number;
      into[g] = searchable[g] ? Math.max(1, Math.round(multiplier * size)) : size;
    }
    return into;
  }

  private meanFraction(widths: Int32Array): number {
    if (this.options.widths === "uniform") return this.fractions[0] ?? 1;
    let kept = 0;
    let total = 0;
    for (let g = 0; g < widths.length; g++) {
      if (!this.searchable[g] || widths[g] === 0) continue;
      kept += widths[g] as number;
      total += this.sizes[g] as number;
    }
    return total === 0 ? 0 : kept / total;
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
      if (this.liveness.prune(this.drawn, scratch) && this.exportable(scratch)) droppable.push(g);
    }
    return droppable;
  }
}
