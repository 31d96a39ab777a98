/**
 * The formatter as `figs fmt` sees it. It is loaded on first use rather than
 * imported at the top, because it pulls in prettier, which `figs check` and
 * the other commands should not pay for at start-up.
 */
import type { formatFigs } from "../grammar/prettier/format.js";

export type FormatFigs = typeof formatFigs;
export type FormatOptions = NonNullable<Parameters<FormatFigs>[2]>;
export type FormatterLoader = () => Promise<FormatFigs>;

export const loadFormatter: FormatterLoader = async () => (await import("../grammar/prettier/format.js")).formatFigs;
