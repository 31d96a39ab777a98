/**
 * A picture of a space, before it is written as DOT: the space's definition
 * instances as nested clusters, its ops (or whole collapsed instances) as
 * boxes, the tensors between them as edges. Hover texts are kept apart from
 * labels so the SVG can carry them as `<title>`s (svg-titles.ts).
 */

export interface PictureOptions {
  /**
   * Instances nested deeper than this many levels below the space are drawn
   * as one box each, with their summed cost; undefined draws every op.
   */
  readonly depth?: number;
}

/** One box: an op, or a collapsed instance of a definition. */
export interface PictureBox {
  /** The DOT node id: `n<node id>` for an op, `c<k>` for a collapsed instance. */
  readonly id: string;
  /** Shown in the box, one string per line. */
  readonly label: readonly string[];
  /** Fill colours, one stripe per run of channels, with each stripe's share of the channels. */
  readonly fills: readonly Stripe[];
  readonly collapsed: boolean;
  /** Shown on hover, one string per line. */
  readonly hover: readonly string[];
}

export interface Stripe {
  readonly colour: string;
  readonly share: number;
}

export interface PictureCluster {
  /** The DOT subgraph id, `cluster_<k>`. */
  readonly id: string;
  /** The kind of definition instantiated: a cell, block or op (the space itself is the whole picture). */
  readonly kind: "space" | "cell" | "block" | "op";
  readonly label: string;
  readonly hover: readonly string[];
  readonly clusters: readonly PictureCluster[];
  readonly boxes: readonly PictureBox[];
}

export interface Picture {
  readonly space: string;
  /** Shown at the top: the space, its totals and what the colours mean. */
  readonly label: readonly string[];
  readonly hover: readonly string[];
  /** Boxes and clusters directly in the space. */
  readonly clusters: readonly PictureCluster[];
  readonly boxes: readonly PictureBox[];
  /** Box ids, from producer to consumer, each pair once. */
  readonly edges: readonly (readonly [string, string])[];
}

/** How many boxes and clusters a picture draws. */
export function pictureSize(picture: Pick<Picture, "clusters" | "boxes">): { boxes: number; clusters: number } {
  let boxes = picture.boxes.length;
  let clusters = picture.clusters.length;
  for (const cluster of picture.clusters) {
    const inner = pictureSize(cluster);
    boxes += inner.boxes;
    clusters += inner.clusters;
  }
  return { boxes, clusters };
}
