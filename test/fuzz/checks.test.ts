/**
 * The fuzz test can only fail if its checks can: each check here is shown a
 * parser or formatter that misbehaves in one way and must report it.
 */
import { describe, expect, it } from "vitest";
import { parse, type ParseResult } from "../../grammar/parse.js";
import { formatFigs, type FormatResult } from "../../grammar/prettier/format.js";
import { codeOf } from "../../diagnostics/codes.js";
import { error, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { SourceFile } from "../../diagnostics/source.js";
import { inputProblems, messageProblems, type FuzzTools } from "./checks.js";

const VALID = "op a(k: int = 3) {\n  conv(k, 16) -> bn # keep\n}\n";
const INVALID = "op a( {\n";

const real: FuzzTools = { parse, format: (text, path) => formatFigs(text, path) };

/** What parse and formatFigs return when they catch an exception. */
function internalError(text: string, path: string): Diagnostic {
  return error(
    codeOf("InternalError"),
    "internal error in the parser (boom); please report it",
    new SourceFile(path, text).rangeAt(0, 0),
  );
}

async function problemsWith(tools: Partial<FuzzTools>, text = VALID): Promise<string[]> {
  return (await inputProblems(text, "t.figs", { ...real, ...tools })).problems;
}

describe("fuzz checks", () => {
  it("find nothing wrong with the real parser and formatter", async () => {
    expect(await problemsWith({})).toEqual([]);
    expect(await problemsWith({}, INVALID)).toEqual([]);
  });

  it("report an internal error from the parser, though its range is valid and there is no AST", async () => {
    const crashing = (text: string, path: string): ParseResult => ({
      source: new SourceFile(path, text),
      diagnostics: [internalError(text, path)],
    });
    expect((await problemsWith({ parse: crashing })).join("\n")).toMatch(/internal error from the parser/);
  });

  it("report an exception that escapes the parser or the formatter", async () => {
    const throwing = (): never => {
      throw new Error("boom");
    };
    expect(await problemsWith({ parse: throwing })).toEqual(["parse threw: Error: boom"]);
    expect(await problemsWith({ format: async () => throwing() })).toEqual(["formatFigs threw: Error: boom"]);
  });

  it("report an internal error from the formatter, on text that parses and on text that does not", async () => {
    const crashing = async (text: string, path: string): Promise<FormatResult> => ({
      ok: false,
      diagnostics: [internalError(text, path)],
    });
    const onValid = await problemsWith({ format: crashing });
    expect(onValid.join("\n")).toMatch(/internal error from the formatter/);
    expect(onValid.join("\n")).toMatch(/the formatter failed on text that parses/);
    expect((await problemsWith({ format: crashing }, INVALID)).join("\n")).toMatch(/internal error from the formatter/);
  });

  it("report a formatter that refuses text that parses, or changes its meaning or comments", async () => {
    const refusing = async (text: string, path: string): Promise<FormatResult> => ({
      ok: false,
      diagnostics: parse(`${text}(`, path).diagnostics,
    });
    expect((await problemsWith({ format: refusing })).join("\n")).toMatch(/the formatter failed on text that parses/);
    const changing = async (text: string): Promise<FormatResult> => ({ ok: true, formatted: text.replace("16", "17") });
    expect(await problemsWith({ format: changing })).toEqual([expect.stringMatching(/^formatting changed the AST/)]);
    const dropping = async (text: string): Promise<FormatResult> => ({
      ok: true,
      formatted: text.replace("# keep", ""),
    });
    expect(await problemsWith({ format: dropping })).toEqual([
      expect.stringMatching(/^formatting lost or changed comments/),
    ]);
  });

  it("report a formatter whose output formats differently again", async () => {
    // Adds a blank line at the end each time: the AST and comments never change, only the text.
    const growing = async (text: string): Promise<FormatResult> => ({ ok: true, formatted: `${text}\n` });
    expect(await problemsWith({ format: growing })).toEqual([expect.stringMatching(/^formatting is not idempotent/)]);
  });

  it("report a message that names a token type or grammar rule, but not a user's name in quotes", () => {
    const range = new SourceFile("t.figs", "x").rangeAt(0, 1);
    const named = (message: string): Diagnostic => error(codeOf("UnexpectedToken"), message, range);
    expect(messageProblems([named("expected RParen, found 'x'")])).toHaveLength(1);
    expect(messageProblems([named("expected ')' in callOrName")])).toHaveLength(1);
    expect(messageProblems([named("NoViableAltException: expected one of …")])).toHaveLength(1);
    expect(messageProblems([{ ...named("expected ')'"), notes: [{ message: "EOF here" }] }])).toHaveLength(1);
    expect(messageProblems([named("'RParen' is not defined"), named("expected a value in the chain")])).toEqual([]);
  });
});
