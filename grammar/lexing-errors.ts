/**
 * The lexer's complaints as diagnostics: characters no token starts with
 * (with a hint for the ones other languages use: '!', '&&', '||'), strings
 * and block comments that never close, and malformed numbers.
 */
import type { ILexingError, ILexingResult, IToken } from "chevrotain";
import { codeOf } from "../diagnostics/codes.js";
import { error, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { SourceFile } from "../diagnostics/source.js";
import { numberDiagnostics } from "./number-check.js";
import { UnterminatedComment, UnterminatedString } from "./tokens.js";

export function lexingDiagnostics(lexed: ILexingResult, source: SourceFile): Diagnostic[] {
  return [
    ...lexed.errors.map((e) => unexpectedCharacters(e, source)),
    ...errorTokenDiagnostics(lexed.groups["errors"] ?? [], source),
    ...numberDiagnostics(lexed.tokens, source),
  ];
}

/** What to write instead of an operator borrowed from C-like languages. */
const hints: Readonly<Record<string, string>> = {
  "!": "; write 'not' for negation ('!=' is 'not equal')",
  "&&": "; write 'and'",
  "&": "; write 'and'",
  "||": "; write 'or'",
  "|": "; write 'or'",
  $: "",
  "'": '; strings use double quotes: "..."',
};

function unexpectedCharacters(lexError: ILexingError, source: SourceFile): Diagnostic {
  const text = source.text.slice(lexError.offset, lexError.offset + lexError.length);
  const characters = [...text];
  const shown = showCharacters(characters.slice(0, 16));
  const more = characters.length > 16 ? "…" : "";
  const hint = hints[text] ?? (/^\p{L}+$/u.test(text) ? "; names may use only ASCII letters, digits and '_'" : "");
  const message =
    characters.length === 1 ? `unexpected character ${shown}${hint}` : `unexpected characters ${shown}${more}${hint}`;
  return error(
    codeOf("UnexpectedCharacter"),
    message,
    source.rangeAt(lexError.offset, lexError.offset + lexError.length),
  );
}

/** Printable characters in quotes ('&&'); invisible ones by code point (U+0001). */
function showCharacters(characters: readonly string[]): string {
  if (characters.every((c) => !isInvisible(c))) return `'${characters.join("")}'`;
  return characters.map((c) => (isInvisible(c) ? codePoint(c) : `'${c}'`)).join(" ");
}

function isInvisible(c: string): boolean {
  const code = c.codePointAt(0)!;
  return (
    code < 0x20 ||
    code === 0x7f ||
    code === 0xfffd ||
    (code >= 0x80 && code < 0xa0) ||
    code === 0x200b ||
    code === 0x2028 ||
    code === 0x2029
  );
}

function codePoint(c: string): string {
  return `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
}

function errorTokenDiagnostics(errorTokens: readonly IToken[], source: SourceFile): Diagnostic[] {
  return errorTokens.map((token) => {
    if (token.tokenType === UnterminatedComment) {
      return error(
        codeOf("UnterminatedComment"),
        "this block comment is never closed: add '*/'",
        source.rangeAt(token.startOffset, token.startOffset + 2),
      );
    }
    const kind = token.tokenType === UnterminatedString ? "UnterminatedString" : "UnexpectedCharacter";
    return error(
      codeOf(kind),
      "this string is never closed: add '\"' before the end of the line",
      source.rangeAt(token.startOffset, token.startOffset + token.image.length),
    );
  });
}
