/**
 * The Prettier parser adapter: .figs text → the figs AST. Prettier expects a
 * parser to throw on bad input, so diagnostics become an Error whose message
 * is the rendered diagnostics; `formatFigs` parses first and never lets that
 * happen on user input.
 */
import type { Parser } from "prettier";
import { parse, type ParseResult } from "../parse.js";
import { renderDiagnostics } from "../../diagnostics/render.js";
import { locEnd, locStart, type FigsNode } from "./nodes.js";

export const astFormat = "figs-ast";

export class FigsSyntaxError extends Error {
  override readonly name = "FigsSyntaxError";
}

/**
 * A parse `formatFigs` already made of the text it hands to Prettier, taken
 * once: parsing is most of the formatter's time and memory, and Prettier
 * would otherwise parse the same text again. Prettier passes the text on
 * unchanged unless it rewrites line ends (CRLF), and then the texts differ
 * and the parse is made afresh.
 */
let handedOver: ParseResult | undefined;

export function handOverParse(result: ParseResult | undefined): void {
  handedOver = result;
}

export function parseForPrettier(text: string, path: string): FigsNode {
  const given = handedOver;
  handedOver = undefined;
  const result =
    given !== undefined && given.source.path === path && given.source.text === text ? given : parse(text, path);
  if (!result.ast || result.diagnostics.length > 0) {
    throw new FigsSyntaxError(
      renderDiagnostics(result.diagnostics, (file) => (file === result.source.path ? result.source : undefined)),
    );
  }
  return result.ast;
}

export const figsParser: Parser<FigsNode> = {
  parse: (text, options) => parseForPrettier(text, options.filepath ?? "<input>"),
  astFormat,
  locStart,
  locEnd,
};
