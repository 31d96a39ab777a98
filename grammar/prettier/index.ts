/** The Prettier plugin for .figs files, and the formatter API built on it. */
import { figsPlugin } from "./plugin.js";

export { figsPlugin };
export default figsPlugin;
export { formatFigs, type FormatResult } from "./format.js";
