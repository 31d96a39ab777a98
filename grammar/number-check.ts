/**
 * Number spellings the lexer accepts but the language does not: `1__000`,
 * `1_`, `1_.5`, and a number run into letters (`1e`, `3x`), which would
 * otherwise lex as a number followed by a name and fail far from the typo.
 */
import type { IToken } from "chevrotain";
import { codeOf } from "../diagnostics/codes.js";
import { error, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { SourceFile } from "../diagnostics/source.js";
import { NumberLiteral } from "./tokens.js";

const BAD_UNDERSCORE = /__|_$|_[.eE]|\._/;

/** Letters, digits and '_' by char code: this runs on every number of large files. */
function isNameCharacter(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

export function numberDiagnostics(tokens: readonly IToken[], source: SourceFile): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const token of tokens) {
    if (token.tokenType !== NumberLiteral) continue;
    const diagnostic = checkNumber(token, source);
    if (diagnostic) diagnostics.push(diagnostic);
  }
  return diagnostics;
}

function checkNumber(token: IToken, source: SourceFile): Diagnostic | undefined {
  const start = token.startOffset;
  let end = start + token.image.length;
  const text = source.text;
  if (end < text.length && isNameCharacter(text.charCodeAt(end))) {
    while (end < text.length && isNameCharacter(text.charCodeAt(end))) end++;
    const written = text.slice(start, end);
    const message =
      `'${written}' is not a number: a number cannot run straight into letters ` +
      "(write an exponent with digits, as in 1e-3, or put a space before a name)";
    return error(codeOf("InvalidNumber"), message, source.rangeAt(start, end));
  }
  if (token.image.includes("_") && BAD_UNDERSCORE.test(token.image)) {
    const message = `'${token.image}' is not a valid number: '_' may only stand alone between two digits, as in 1_000`;
    return error(codeOf("InvalidNumber"), message, source.rangeAt(start, end));
  }
  return undefined;
}
