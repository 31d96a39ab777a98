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
  /**
   * Operator gates (gate groups, ascending ids) that must all be on for these
   * channels to exist (compiler/masks/gates.ts); absent when none.
   */
  readonly gates?: readonly number[];
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
  /** Channel ranges that carry the group's masks; none for an operator gate. */
  readonly producers: readonly ProducerRange[];
  /** An operator gate (size 1): the id of its `gate` node, whose whole output the one mask scales. */
  readonly gate?: number;
}

/**
 * A gated size: S_group · Π S_gate over `gates`. Cost polynomials name it by
 * id `groups.length + index`; ids below that are the groups themselves.
 */
export interface GatedVariable {
  readonly group: number;
  readonly gates: readonly number[];
}

export interface MaskPlan {
  /** Ordered by first producer node id, then channel start; `groups[i].id === i`. */
  readonly groups: readonly MaskGroup[];
  /** The output layout of every node, indexed by node id. */
  readonly layouts: readonly ChannelLayout[];
  /** Gated sizes the cost polynomials use, when the space has operator gates. */
  readonly gated?: readonly GatedVariable[];
}

/** The nodes whose survival keeps a group: its producers, or an operator gate's own node. */
export function groupNodes(group: Pick<MaskGroup, "producers" | "gate">): number[] {
  return group.gate !== undefined ? [group.gate] : [...new Set(group.producers.map((p) => p.node))];
}

/** Number of tensor channels a layout describes. */
export function layoutChannels(layout: ChannelLayout): number {
  let channels = 0;
  for (const slice of layout) channels += slice.size * slice.repeat;
  return channels;
}
