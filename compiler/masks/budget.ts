/**
 * The channel-slice limit of mask placement. Its work is counted in slices
 * (runs of channels from one producer): segments that concat, flatten and
 * dwconv copy, steps that aligning an add takes, cuts that unification makes,
 * and slices of every distinct layout. Each is linear in the graph for real
 * spaces, but a concat of a growing list in a loop, concat(x, x) repeated, or
 * adds that shift channels against each other make it quadratic or
 * exponential; past the limit placement stops with FIGS4006.
 */
import { codeOf } from "../../diagnostics/codes.js";
import { error, type Diagnostic } from "../../diagnostics/diagnostic.js";
import type { SourceRange } from "../../diagnostics/source.js";

/** 2,000,000 slices: eight per node at the node limit; the largest space in spaces/ needs about 3,000. */
export const MAX_CHANNEL_SLICES = 2_000_000;

/** Thrown by `spend` past the limit and caught by placeMasks: placement has no partial result to return. */
export class SliceLimitReached extends Error {
  constructor(readonly node: number) {
    super("channel-slice limit");
  }
}

export class SliceBudget {
  private used = 0;

  constructor(readonly limit = MAX_CHANNEL_SLICES) {}

  /** Counts `slices` of work done for `node`; throws SliceLimitReached past the limit. */
  spend(slices: number, node: number): void {
    this.used += slices;
    if (this.used > this.limit) throw new SliceLimitReached(node);
  }
}

export function sliceLimitDiagnostic(limit: number, range: SourceRange): Diagnostic {
  const message =
    `placing the masks of this space takes more than ${limit.toLocaleString("en-US")} channel slices ` +
    `(runs of channels from one op; the channel-slice limit), reached here: ` +
    `concatenating a growing list in a loop, or a tensor with itself over and over, does this; ` +
    `concatenate fewer tensors, or once after the loop`;
  return error(codeOf("TooManyChannelSlices"), message, range);
}
