/**
 * Every diagnostic code figs can report, in one table.
 * FIGS1xxx: lexing and parsing. FIGS2xxx: names, types and evaluation.
 * FIGS3xxx: shapes and masks. FIGS4xxx: limits and resources. FIGS9xxx: files and internal.
 */
export const DiagnosticCodes = {
  // --- lexing ---
  UnexpectedCharacter: { code: "FIGS1001", summary: "a character that cannot start any token" },
  UnterminatedComment: { code: "FIGS1002", summary: "a block comment without its closing */" },
  UnterminatedString: { code: "FIGS1003", summary: "a string without its closing quote" },
  InvalidNumber: { code: "FIGS1004", summary: "a malformed number literal" },
  BinaryInput: { code: "FIGS1005", summary: "the file holds binary data, not text" },
  InvalidEncoding: { code: "FIGS1006", summary: "the file is not valid UTF-8" },
  // --- parsing ---
  UnexpectedToken: { code: "FIGS1101", summary: "a token the grammar does not allow here" },
  MissingClosingDelimiter: { code: "FIGS1102", summary: "a bracket, parenthesis or brace that is never closed" },
  UnexpectedEndOfFile: { code: "FIGS1103", summary: "the file ends in the middle of a construct" },
  ExpectedDefinition: { code: "FIGS1104", summary: "something other than import, let or a definition at the top level" },
  ExpectedExpression: { code: "FIGS1105", summary: "a value was expected" },
  ExpectedStatement: { code: "FIGS1106", summary: "a statement was expected inside a body" },
  NestingTooDeep: { code: "FIGS1107", summary: "brackets or bodies nested deeper than the parser allows" },
  ExpressionTooLong: { code: "FIGS1108", summary: "an expression with more operators than the parser allows" },
  ChainedComparison: { code: "FIGS1109", summary: "comparisons like a < b < c, which are ambiguous" },
  DuplicateParameter: { code: "FIGS1110", summary: "two parameters of one definition with the same name" },
  PositionalAfterNamed: { code: "FIGS1111", summary: "a positional argument after a named one" },
  InvalidAggregator: { code: "FIGS1112", summary: "an aggregate clause without an aggregator" },
  // --- files and internal ---
  FileNotFound: { code: "FIGS9001", summary: "a file that cannot be read" },
  InternalError: { code: "FIGS9999", summary: "a bug in figs" },
} as const;

export type DiagnosticKind = keyof typeof DiagnosticCodes;
export type DiagnosticCode = (typeof DiagnosticCodes)[DiagnosticKind]["code"];

export function codeOf(kind: DiagnosticKind): DiagnosticCode {
  return DiagnosticCodes[kind].code;
}
