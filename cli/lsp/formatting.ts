/**
 * Formatting with the figs Prettier plugin, as `figs fmt` does. A range is
 * formatted by formatting the whole text and taking, for the top-level items
 * (definitions, constants, imports) the range touches, their formatted text
 * in place of theirs: the rest of the file is left as it is.
 */
import type { Range, TextEdit } from "vscode-languageserver";
import { parse, type Program } from "../../grammar/index.js";
import type { FormatFigs } from "../formatter.js";
import { offsetAt, overlaps } from "./ranges.js";

export interface FormatRequest {
  readonly format: FormatFigs;
  readonly text: string;
  readonly path: string;
  readonly printWidth?: number;
}

/** The edits that format the document; null when it does not parse (there is no layout to give it). */
export async function formatDocument(request: FormatRequest): Promise<TextEdit[] | null> {
  const formatted = await formattedText(request);
  if (formatted === undefined) return null;
  return formatted === request.text ? [] : [{ range: wholeText(request.text), newText: formatted }];
}

export async function formatRange(request: FormatRequest, range: Range): Promise<TextEdit[] | null> {
  const formatted = await formattedText(request);
  if (formatted === undefined) return null;
  const before = parse(request.text, request.path).ast;
  const after = parse(formatted, request.path).ast;
  if (!before || !after || before.items.length !== after.items.length) return formatDocument(request);
  const wanted = { start: offsetAt(request.text, range.start), end: offsetAt(request.text, range.end) };
  const touched = itemIndexes(before, wanted);
  if (touched.length === 0) return [];
  const first = touched[0]!;
  const last = touched[touched.length - 1]!;
  const start = before.items[first]!.range.start;
  const end = before.items[last]!.range.end;
  const newText = formatted.slice(after.items[first]!.range.start.offset, after.items[last]!.range.end.offset);
  if (newText === request.text.slice(start.offset, end.offset)) return [];
  return [
    {
      range: {
        start: { line: start.line - 1, character: start.column - 1 },
        end: { line: end.line - 1, character: end.column - 1 },
      },
      newText,
    },
  ];
}

async function formattedText(request: FormatRequest): Promise<string | undefined> {
  const options = request.printWidth === undefined ? {} : { printWidth: request.printWidth };
  const result = await request.format(request.text, request.path, options);
  return result.ok ? result.formatted : undefined;
}

function itemIndexes(program: Program, wanted: { start: number; end: number }): number[] {
  return program.items.flatMap((item, index) =>
    overlaps({ start: item.range.start.offset, end: item.range.end.offset }, wanted) ? [index] : [],
  );
}

function wholeText(text: string): Range {
  const lines = text.split("\n");
  return {
    start: { line: 0, character: 0 },
    end: { line: lines.length - 1, character: lines[lines.length - 1]!.length },
  };
}
