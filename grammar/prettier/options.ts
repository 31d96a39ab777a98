/**
 * Options of the .figs formatter. Layout choices are fixed (as in Prettier);
 * only the line width is the user's, 100 columns unless they say otherwise.
 */
import type { Options, SupportOptions } from "prettier";

export const DEFAULT_PRINT_WIDTH = 100;

export const defaultOptions = {
  printWidth: DEFAULT_PRINT_WIDTH,
  tabWidth: 2,
  useTabs: false,
} satisfies Options;

/** No options of its own beyond Prettier's core ones (printWidth). */
export const options: SupportOptions = {};
