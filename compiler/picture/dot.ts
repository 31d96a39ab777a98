/**
 * Picture → DOT text (https://graphviz.org/doc/info/lang.html). Top to
 * bottom like the `.figs` text; clusters nest as the definitions do, with a
 * line style per kind; a collapsed instance is a box with a double border.
 */
import { pictureSize, type Picture, type PictureBox, type PictureCluster, type Stripe } from "./model.js";

export interface DotOptions {
  /**
   * Write hover texts as `tooltip` attributes (default). Off for the SVG that
   * figs renders itself, which carries them as `<title>`s (svg-titles.ts).
   */
  readonly tooltips?: boolean;
}

const CLUSTER_STYLE: Record<PictureCluster["kind"], string> = {
  space: "rounded",
  cell: "rounded,bold",
  block: "rounded",
  op: "rounded,dashed",
};

/** A font Graphviz has metrics for, so boxes fit their text without a font file. */
const FONT = "Helvetica";

/**
 * Past this many boxes, Graphviz's layout is told to spend less effort
 * (fewer network-simplex iterations, one crossing-minimisation pass): the
 * largest space in spaces/ (one_shot, 1,562 ops) then lays out several times
 * faster, with a few more edge crossings (docs/graph.md has the numbers).
 */
export const LARGE_PICTURE = 400;
const QUICK_LAYOUT = "nslimit=2, nslimit1=2, mclimit=0.2, remincross=false";

export function pictureDot(picture: Picture, options: DotOptions = {}): string {
  const tooltips = options.tooltips ?? true;
  const quick = pictureSize(picture).boxes > LARGE_PICTURE ? [`  graph [${QUICK_LAYOUT}];`] : [];
  const hover = tooltips ? `, tooltip=${quote(joinLines(picture.hover))}` : "";
  const lines = [
    `digraph ${quote(picture.space)} {`,
    `  graph [rankdir=TB, labelloc=t, fontname=${quote(FONT)}, fontsize=14, nodesep=0.25, ranksep=0.3, pad=0.3];`,
    `  graph [label=${quote(joinLines(picture.label))}${hover}];`,
    ...quick,
    `  node [shape=box, style="rounded,filled", fontname=${quote(FONT)}, fontsize=10, height=0.3,`,
    `        margin="0.15,0.05", penwidth=0.7];`,
    `  edge [arrowsize=0.6, color="#555555"];`,
    ...picture.clusters.flatMap((cluster) => clusterLines(cluster, "  ", tooltips)),
    ...picture.boxes.map((box) => boxLine(box, "  ", tooltips)),
    ...picture.edges.map(([from, to]) => `  ${from} -> ${to};`),
    "}",
  ];
  return lines.join("\n") + "\n";
}

function clusterLines(cluster: PictureCluster, indent: string, tooltips: boolean): string[] {
  const inner = indent + "  ";
  const attributes = [
    `label=${quote(cluster.label)}`,
    `style=${quote(CLUSTER_STYLE[cluster.kind])}`,
    `color="#888888"`,
    `fontsize=11`,
    ...(tooltips ? [`tooltip=${quote(joinLines(cluster.hover))}`] : []),
  ];
  return [
    `${indent}subgraph ${cluster.id} {`,
    `${inner}graph [${attributes.join(", ")}];`,
    ...cluster.clusters.flatMap((child) => clusterLines(child, inner, tooltips)),
    ...cluster.boxes.map((box) => boxLine(box, inner, tooltips)),
    `${indent}}`,
  ];
}

function boxLine(box: PictureBox, indent: string, tooltips: boolean): string {
  const striped = box.fills.length > 1;
  const attributes = [
    `label=${quote(joinLines(box.label))}`,
    ...(striped ? [`style="striped"`] : []),
    `fillcolor=${quote(fillColour(box.fills))}`,
    ...(box.collapsed ? ["peripheries=2"] : []),
    ...(tooltips ? [`tooltip=${quote(joinLines(box.hover))}`] : []),
  ];
  return `${indent}${box.id} [${attributes.join(", ")}];`;
}

/** `#aaa` for one colour; `#aaa;0.25:#bbb` for stripes, each as wide as its share of the channels. */
function fillColour(stripes: readonly Stripe[]): string {
  if (stripes.length === 1) return stripes[0]!.colour;
  return stripes
    .map((stripe, i) => (i === stripes.length - 1 ? stripe.colour : `${stripe.colour};${floor3(stripe.share)}`))
    .join(":");
}

/** Shares rounded down, so that together they never pass 1 (Graphviz warns when they do). */
function floor3(share: number): string {
  return String(Math.floor(share * 1000) / 1000);
}

function joinLines(lines: readonly string[]): string {
  return lines.join("\n");
}

/** A DOT quoted string: backslashes and quotes escaped, line breaks as `\n` (centred lines). */
export function quote(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\r?\n/g, "\\n")}"`;
}
