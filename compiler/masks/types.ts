/**
 * Mask groups and channel layouts: what `compiler/masks` computes from a Graph.
 * DESIGN.md "Masks and groups": one mask per channel, applied where the channel
 * is produced; `add` unifies the masks of channels added together.
 */

/**
 * A run of channels that all come from one group. `repeat` counts how many
 * tensor channels each mask of the group stands for: 1 normally, H·W after
 * `flatten`, the multiplier after a `dwconv`. The slice covers size·repeat channels.
 */
export interface ChannelSlice {
  readonly group: number;
  readonly size: number;
  readonly repeat: number;
}

/** The channels of a tensor, in order, as slices of groups. */
export type ChannelLayout = readonly ChannelSlice[];

/** Channels [start, end) of a producer node's output. */
export interface ProducerRange {
  readonly node: number;
  readonly start: number;
  readonly end: number;
}

/**
 * A set of mask variables reported as one width. After unification every
 * producer range of a group has the same length: `size`.
 */
export interface MaskGroup {
  readonly id: number;
  /** Readable, from the first producer's node name (plus `[a:b]` when only part of its channels). */
  readonly name: string;
  readonly size: number;
  /** False when any producer is the input image or `fixed`: those channels carry no mask. */
  readonly searchable: boolean;
  readonly producers: readonly ProducerRange[];
}

export interface MaskPlan {
  /** Ordered by first producer node id, then channel start; `groups[i].id === i`. */
  readonly groups: readonly MaskGroup[];
  /** The output layout of every node, indexed by node id. */
  readonly layouts: readonly ChannelLayout[];
}

/** Number of tensor channels a layout describes. */
export function layoutChannels(layout: ChannelLayout): number {
  let channels = 0;
  for (const slice of layout) channels += slice.size * slice.repeat;
  return channels;
}
