/**
 * `figs` builds its lexer and parser without Chevrotain's grammar checks, to
 * start faster (grammar/tokens.ts, grammar/parser.ts); the checks run here,
 * so a grammar that fails them still fails the tests.
 */
import { describe, expect, it } from "vitest";
import { FigsParser } from "../../grammar/parser.js";
import { createFigsLexer, figsLexer } from "../../grammar/tokens.js";

const SOURCE = 'import "stdlib/mobile.figs"\nspace s(w: int = 8) {\n  conv(3, w * 2, stride: 2) -> relu\n}\n';

describe("the grammar figs builds without Chevrotain's checks", () => {
  it("passes the parser's grammar checks", () => {
    expect(() => new FigsParser()).not.toThrow();
  });

  it("passes the lexer's token checks", () => {
    expect(() => createFigsLexer()).not.toThrow();
  });

  it("lexes alike with and without the checks", () => {
    const tokens = (lexer: Pick<typeof figsLexer, "tokenize">) =>
      lexer.tokenize(SOURCE).tokens.map((t) => [t.tokenType.name, t.startOffset, t.endOffset]);
    expect(tokens(figsLexer)).toEqual(tokens(createFigsLexer()));
    expect(tokens(figsLexer)).toHaveLength(27);
  });
});
