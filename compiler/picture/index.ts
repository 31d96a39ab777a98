/**
 * A picture of a space (`figs graph`): compile stages → DOT text, pure. The
 * command renders the DOT with a WebAssembly Graphviz and puts the hover
 * texts into the SVG with `withHoverTitles`.
 */
import type { CompileStages } from "../index.js";
import { buildPicture } from "./build.js";
import { pictureDot, type DotOptions } from "./dot.js";
import type { PictureOptions } from "./model.js";

export { buildPicture } from "./build.js";
export { pictureDot, quote, type DotOptions } from "./dot.js";
export { withHoverTitles } from "./svg-titles.js";
export { FIXED_COLOUR, GROUP_PALETTE, groupColours } from "./colours.js";
export {
  pictureSize,
  type Picture,
  type PictureBox,
  type PictureCluster,
  type PictureOptions,
  type Stripe,
} from "./model.js";

/** The space as DOT: graph + mask plan + costs in, text out. */
export function spaceDot(stages: CompileStages, options: PictureOptions & DotOptions = {}): string {
  return pictureDot(buildPicture(stages, options), options);
}
