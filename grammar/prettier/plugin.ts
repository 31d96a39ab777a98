/** The Prettier plugin object for .figs files. */
import type { Plugin } from "prettier";
import type { FigsNode } from "./nodes.js";
import { defaultOptions, options } from "./options.js";
import { astFormat, figsParser } from "./parser.js";
import { figsPrinter } from "./printer.js";

export const figsPlugin: Plugin<FigsNode> = {
  languages: [{ name: "figs", parsers: ["figs"], extensions: [".figs"], vscodeLanguageIds: ["figs"] }],
  parsers: { figs: figsParser },
  printers: { [astFormat]: figsPrinter },
  options,
  defaultOptions,
};
