/**
 * Graphviz titles each SVG element with its DOT id (`n12`, `cluster_3`,
 * `n3->n4`), which is what a browser shows on hover. This puts the picture's
 * hover texts there instead: an op's cost and mask groups, a cluster's summed
 * cost, the space's totals; edges lose their titles (an id is no help).
 */
import type { Picture, PictureCluster } from "./model.js";

const TITLED = /(<g id="[^"]*" class="(graph|cluster|node|edge)"[^>]*>\s*)<title>([^<]*)<\/title>\n?/g;

export function withHoverTitles(svg: string, picture: Picture): string {
  const hovers = hoverTexts(picture);
  return svg.replace(TITLED, (whole, start: string, kind: string, id: string) => {
    if (kind === "edge") return start;
    const hover = kind === "graph" ? picture.hover : hovers.get(unescapeXml(id));
    return hover === undefined ? whole : `${start}<title>${escapeXml(hover.join("\n"))}</title>\n`;
  });
}

function hoverTexts(picture: Picture): Map<string, readonly string[]> {
  const hovers = new Map<string, readonly string[]>();
  const visit = (cluster: Pick<PictureCluster, "clusters" | "boxes">): void => {
    for (const box of cluster.boxes) hovers.set(box.id, box.hover);
    for (const child of cluster.clusters) {
      hovers.set(child.id, child.hover);
      visit(child);
    }
  };
  visit(picture);
  return hovers;
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function unescapeXml(text: string): string {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&#45;/g, "-").replace(/&amp;/g, "&");
}
