/**
 * Turns Chevrotain's parse errors into diagnostics in the user's words:
 * "expected ')' to close the argument list opened at 3:14, found 'bn'".
 * The message provider only records structured facts (as JSON); this module
 * phrases them, because only here are the token stream and brackets known.
 */
import { EOF, tokenLabel, type IParserErrorMessageProvider, type IRecognitionException, type IToken, type TokenType } from "chevrotain";
import { codeOf, type DiagnosticKind } from "../diagnostics/codes.js";
import { error, type Diagnostic, type RelatedNote } from "../diagnostics/diagnostic.js";
import type { SourceFile } from "../diagnostics/source.js";
import { isCloser, unclosedOpener, type BracketIndex } from "./brackets.js";
import * as T from "./tokens.js";

type Fact =
  | { kind: "mismatch"; expected: string; rule: string }
  | { kind: "noViableAlt"; expected: string[]; rule: string }
  | { kind: "notAllInput"; rule: string };

/** Token types by name, to turn recorded facts back into token types. */
const tokenTypeByName = new Map(T.allTokens.map((t) => [t.name, t]));

export const factRecordingProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected, ruleName }) => JSON.stringify({ kind: "mismatch", expected: expected.name, rule: ruleName }),
  buildNotAllInputParsedMessage: ({ ruleName }) => JSON.stringify({ kind: "notAllInput", rule: ruleName }),
  buildNoViableAltMessage: ({ expectedPathsPerAlt, ruleName }) =>
    JSON.stringify({ kind: "noViableAlt", expected: firstTokens(expectedPathsPerAlt.flat()), rule: ruleName }),
  buildEarlyExitMessage: ({ expectedIterationPaths, ruleName }) =>
    JSON.stringify({ kind: "noViableAlt", expected: firstTokens(expectedIterationPaths), rule: ruleName }),
};

function firstTokens(paths: TokenType[][]): string[] {
  return [...new Set(paths.map((path) => path[0]?.name).filter((n): n is string => n !== undefined))];
}

/** What a bracket opens, by the rule that expected its closer. */
const bracketContexts: Record<string, string> = {
  argumentList: "the argument list",
  definition: "the parameter list",
  parameterList: "the parameter list",
  parenthesized: "the parentheses",
  listLiteral: "the list",
  subscript: "the index",
  typeReference: "the type argument",
  body: "the body",
};

export interface SyntaxErrorContext {
  readonly source: SourceFile;
  readonly tokens: readonly IToken[];
  readonly brackets: BracketIndex;
}

export function syntaxDiagnostic(exception: IRecognitionException, context: SyntaxErrorContext): Diagnostic {
  const fact = JSON.parse(exception.message) as Fact;
  const token = exception.token;
  const atEnd = token.tokenType === EOF;
  const range = atEnd ? endRange(context) : rangeOf(token, context.source);
  const found = describe(token);
  switch (fact.kind) {
    case "mismatch":
      return mismatch(fact, token, found, range, context);
    case "notAllInput":
      return error(codeOf("UnexpectedToken"), strayMessage(token, found), range);
    case "noViableAlt":
      return noViableAlternative(fact, found, atEnd, range);
  }
}

function mismatch(fact: Extract<Fact, { kind: "mismatch" }>, token: IToken, found: string, range: Diagnostic["range"], context: SyntaxErrorContext): Diagnostic {
  const expected = tokenTypeByName.get(fact.expected);
  const label = expected ? tokenLabel(expected) : fact.expected;
  if (fact.expected === EOF.name) return error(codeOf("UnexpectedToken"), strayMessage(token, found), range);
  if (expected && isCloser(expected)) {
    const at = token.tokenType === EOF ? context.tokens.length : (context.brackets.indexByOffset.get(token.startOffset) ?? -1);
    const opener = unclosedOpener(context.brackets, context.tokens, at, expected);
    if (opener) {
      const what = bracketContexts[fact.rule] ?? "the bracket";
      const where = rangeOf(opener, context.source);
      const message = `expected ${label} to close ${what} opened at ${where.start.line}:${where.start.column}, found ${found}`;
      const note: RelatedNote = { message: `${tokenLabel(opener.tokenType)} opened here`, range: where };
      return error(codeOf("MissingClosingDelimiter"), message, range, [note]);
    }
  }
  if (expected === T.Aggregate) {
    return error(codeOf("InvalidAggregator"), `expected 'aggregate sum' or 'aggregate concat' after the branches, found ${found}`, range);
  }
  const kind: DiagnosticKind = token.tokenType === EOF ? "UnexpectedEndOfFile" : "UnexpectedToken";
  return error(codeOf(kind), `expected ${label}${ruleSuffix(fact.rule)}, found ${found}`, range);
}

function noViableAlternative(fact: Extract<Fact, { kind: "noViableAlt" }>, found: string, atEnd: boolean, range: Diagnostic["range"]): Diagnostic {
  if (atEnd) return error(codeOf("UnexpectedEndOfFile"), `the file ends${ruleSuffix(fact.rule)}: expected ${expectedList(fact.expected)}`, range);
  if (fact.rule === "topLevelItem") {
    return error(codeOf("ExpectedDefinition"), `expected 'import', 'let' or a definition ('op', 'block', 'cell', 'space'), found ${found}`, range);
  }
  if (fact.rule === "statement") {
    return error(codeOf("ExpectedStatement"), `expected a statement ('let', 'for', 'if' or a chain of operators), found ${found}`, range);
  }
  if (fact.rule === "primary" || fact.rule === "expression") {
    return error(codeOf("ExpectedExpression"), `expected a value (a number, a name, a call, a list or '('), found ${found}`, range);
  }
  return error(codeOf("UnexpectedToken"), `expected ${expectedList(fact.expected)}${ruleSuffix(fact.rule)}, found ${found}`, range);
}

function strayMessage(token: IToken, found: string): string {
  if (isCloser(token.tokenType)) return `unexpected ${found}: nothing is open here for it to close`;
  return `unexpected ${found}: expected 'import', 'let' or a definition ('op', 'block', 'cell', 'space')`;
}

const ruleNames: Record<string, string> = {
  definition: " in the definition",
  parameter: " in the parameter",
  parameterList: " in the parameter list",
  typeReference: " in the type",
  importDeclaration: " after 'import'",
  letStatement: " in the 'let'",
  assignStatement: " in the assignment",
  forStatement: " in the 'for' loop",
  ifStatement: " in the 'if'",
  chainStep: " in the chain",
  argument: " in the argument",
  argumentList: " in the argument list",
  subscript: " in the index",
  branchesExpression: " in 'branches'",
  residualExpression: " in 'residual'",
};

function ruleSuffix(rule: string): string {
  return ruleNames[rule] ?? "";
}

function expectedList(names: string[]): string {
  const labels = [...new Set(names.map((n) => tokenTypeByName.get(n)).filter((t): t is TokenType => t !== undefined).map((t) => tokenLabel(t)))];
  if (labels.length === 0) return "something else";
  if (labels.length === 1) return labels[0]!;
  const shown = labels.slice(0, 6);
  const last = labels.length > 6 ? "…" : shown.pop()!;
  return `${shown.join(", ")} or ${last}`;
}

export function describe(token: IToken): string {
  if (token.tokenType === EOF) return "the end of the file";
  const image = token.image.length > 24 ? `${token.image.slice(0, 24)}…` : token.image;
  return `'${image.replace(/\n/g, "\\n")}'`;
}

function rangeOf(token: IToken, source: SourceFile) {
  return source.rangeAt(token.startOffset, token.startOffset + Math.max(1, token.image.length));
}

/** "The end of the file" is shown just after its last visible character. */
function endRange(context: SyntaxErrorContext) {
  const end = context.source.text.trimEnd().length;
  return context.source.rangeAt(end, end);
}
