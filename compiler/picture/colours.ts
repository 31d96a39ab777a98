/**
 * One colour per mask group. Light colours (ColorBrewer Set3 and Pastel1
 * without their greys) so black text stays readable; grey is kept for
 * channels that carry no mask (the input image, `fixed` ops). Groups are
 * coloured in order, so neighbouring groups differ; past 19 searchable
 * groups colours repeat, and the label's `gN` tells groups apart.
 */
import type { ChannelLayout, MaskGroup } from "../masks/types.js";
import type { Stripe } from "./model.js";

export const GROUP_PALETTE = [
  "#8dd3c7",
  "#ffffb3",
  "#bebada",
  "#fb8072",
  "#80b1d3",
  "#fdb462",
  "#b3de69",
  "#fccde5",
  "#bc80bd",
  "#ccebc5",
  "#ffed6f",
  "#fbb4ae",
  "#b3cde3",
  "#decbe4",
  "#fed9a6",
  "#ffffcc",
  "#e5d8bd",
  "#fddaec",
  "#a6cee3",
] as const;

export const FIXED_COLOUR = "#d9d9d9";

/** Colour of every group, by group id. */
export function groupColours(groups: readonly MaskGroup[]): string[] {
  let searchable = 0;
  return groups.map((group) => (group.searchable ? GROUP_PALETTE[searchable++ % GROUP_PALETTE.length]! : FIXED_COLOUR));
}

/** A layout's runs of one colour, each with its share of the tensor's channels. */
export function layoutStripes(layout: ChannelLayout, colours: readonly string[]): Stripe[] {
  let total = 0;
  for (const slice of layout) total += slice.size * slice.repeat;
  const stripes: { colour: string; share: number }[] = [];
  for (const slice of layout) {
    const colour = colours[slice.group] ?? FIXED_COLOUR;
    const share = total === 0 ? 0 : (slice.size * slice.repeat) / total;
    const last = stripes[stripes.length - 1];
    if (last && last.colour === colour) last.share += share;
    else stripes.push({ colour, share });
  }
  return stripes.length > 0 ? stripes : [{ colour: FIXED_COLOUR, share: 1 }];
}
