/**
 * `formatFigs`: the formatter as the rest of figs calls it. Never throws: a
 * file that does not parse gives the parser's diagnostics (with their real
 * ranges), and anything unexpected from Prettier becomes an InternalError.
 */
import { format } from "prettier";
import { parse } from "../parse.js";
import { codeOf } from "../../diagnostics/codes.js";
import { fileError, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { handOverParse } from "./parser.js";
import { figsPlugin } from "./plugin.js";
import { DEFAULT_PRINT_WIDTH } from "./options.js";

export type FormatResult =
  | { readonly ok: true; readonly formatted: string }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

export async function formatFigs(
  text: string,
  path = "<input>",
  options?: { printWidth?: number },
): Promise<FormatResult> {
  const parsed = parse(text, path);
  if (!parsed.ast || parsed.diagnostics.length > 0) return { ok: false, diagnostics: parsed.diagnostics };
  try {
    handOverParse(parsed);
    const formatted = await format(text, {
      parser: "figs",
      plugins: [figsPlugin],
      filepath: path,
      printWidth: options?.printWidth ?? DEFAULT_PRINT_WIDTH,
    });
    return { ok: true, formatted };
  } catch (cause) {
    handOverParse(undefined);
    const reason = cause instanceof Error ? cause.message : String(cause);
    const message = `internal error in the formatter (${reason}); please report it`;
    return {
      ok: false,
      diagnostics: [fileError(codeOf("InternalError"), message, path)],
    };
  }
}
