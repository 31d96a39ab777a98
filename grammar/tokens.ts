/**
 * The tokens of .figs. Keywords use `longer_alt: Identifier` so `format` is a
 * name, not `for` + `mat`. Operator families are token categories.
 */
import { createToken, Lexer, type IToken, type TokenType } from "chevrotain";

export const Identifier = createToken({ name: "Identifier", pattern: /[A-Za-z_][A-Za-z0-9_]*/, label: "a name" });

/**
 * Every infix operator, from `or` to `**`: expressions are parsed as a flat
 * operand/operator list and precedence is applied by the AST builder, so an
 * expression costs a few CST nodes instead of one per precedence level.
 */
export const BinaryOperator = createToken({ name: "BinaryOperator", pattern: Lexer.NA, label: "an operator" });
/** `not`, `-` and `+` before an operand. */
export const PrefixOperator = createToken({ name: "PrefixOperator", pattern: Lexer.NA, label: "'not', '-' or '+'" });

function keyword(word: string, categories: TokenType[] = []): TokenType {
  const name = word[0]!.toUpperCase() + word.slice(1);
  return createToken({ name, pattern: new RegExp(word), longer_alt: Identifier, label: `'${word}'`, categories });
}

export const Import = keyword("import");
export const Op = keyword("op");
export const Block = keyword("block");
export const Cell = keyword("cell");
export const Space = keyword("space");
export const Fn = keyword("fn");
export const Return = keyword("return");
export const Let = keyword("let");
export const For = keyword("for");
export const In = keyword("in");
export const If = keyword("if");
export const Else = keyword("else");
export const Branches = keyword("branches");
export const Aggregate = keyword("aggregate");
export const Residual = keyword("residual");
export const Shortcut = keyword("shortcut");
export const Fixed = keyword("fixed");
export const As = keyword("as");
export const And = keyword("and", [BinaryOperator]);
export const Or = keyword("or", [BinaryOperator]);
export const Not = keyword("not", [PrefixOperator]);
export const True = keyword("true");
export const False = keyword("false");

export const WhiteSpace = createToken({
  name: "WhiteSpace",
  pattern: /[ \t\r\n\f\v\u00a0\ufeff]+/,
  group: Lexer.SKIPPED,
});
export const LineComment = createToken({ name: "LineComment", pattern: /#[^\n\r]*/, group: "comments" });
export const BlockComment = createToken({
  name: "BlockComment",
  pattern: /\/\*[\s\S]*?\*\//,
  group: "comments",
  line_breaks: true,
});
/** Matches only when BlockComment could not: reported as an error by the lexer wrapper. */
export const UnterminatedComment = createToken({
  name: "UnterminatedComment",
  pattern: /\/\*[\s\S]*/,
  group: "errors",
  line_breaks: true,
});

export const NumberLiteral = createToken({
  name: "NumberLiteral",
  pattern: /\d[\d_]*(?:\.\d[\d_]*)?(?:[eE][+-]?\d+)?/,
  label: "a number",
});
export const StringLiteral = createToken({
  name: "StringLiteral",
  pattern: /"(?:[^"\\\n\r]|\\.)*"/,
  label: "a string",
});
export const UnterminatedString = createToken({
  name: "UnterminatedString",
  pattern: /"(?:[^"\\\n\r]|\\.)*/,
  group: "errors",
});

export const Arrow = createToken({ name: "Arrow", pattern: /->/, label: "'->'" });
export const DotDot = createToken({ name: "DotDot", pattern: /\.\./, categories: BinaryOperator, label: "'..'" });
export const LParen = createToken({ name: "LParen", pattern: /\(/, label: "'('" });
export const RParen = createToken({ name: "RParen", pattern: /\)/, label: "')'" });
export const LBracket = createToken({ name: "LBracket", pattern: /\[/, label: "'['" });
export const RBracket = createToken({ name: "RBracket", pattern: /]/, label: "']'" });
export const LCurly = createToken({ name: "LCurly", pattern: /{/, label: "'{'" });
export const RCurly = createToken({ name: "RCurly", pattern: /}/, label: "'}'" });
export const Comma = createToken({ name: "Comma", pattern: /,/, label: "','" });
export const Colon = createToken({ name: "Colon", pattern: /:/, label: "':'" });
export const Semicolon = createToken({ name: "Semicolon", pattern: /;/, label: "';'" });

export const ComparisonOperator = createToken({
  name: "ComparisonOperator",
  pattern: Lexer.NA,
  categories: BinaryOperator,
  label: "a comparison",
});
export const EqualEqual = createToken({
  name: "EqualEqual",
  pattern: /==/,
  categories: ComparisonOperator,
  label: "'=='",
});
export const NotEqual = createToken({ name: "NotEqual", pattern: /!=/, categories: ComparisonOperator, label: "'!='" });
export const LessEqual = createToken({
  name: "LessEqual",
  pattern: /<=/,
  categories: ComparisonOperator,
  label: "'<='",
});
export const GreaterEqual = createToken({
  name: "GreaterEqual",
  pattern: />=/,
  categories: ComparisonOperator,
  label: "'>='",
});
export const Less = createToken({ name: "Less", pattern: /</, categories: ComparisonOperator, label: "'<'" });
export const Greater = createToken({ name: "Greater", pattern: />/, categories: ComparisonOperator, label: "'>'" });
export const Equals = createToken({ name: "Equals", pattern: /=/, label: "'='" });

export const AdditiveOperator = createToken({
  name: "AdditiveOperator",
  pattern: Lexer.NA,
  categories: [BinaryOperator, PrefixOperator],
  label: "'+' or '-'",
});
export const Plus = createToken({ name: "Plus", pattern: /\+/, categories: AdditiveOperator, label: "'+'" });
export const Minus = createToken({ name: "Minus", pattern: /-/, categories: AdditiveOperator, label: "'-'" });

export const MultiplicativeOperator = createToken({
  name: "MultiplicativeOperator",
  pattern: Lexer.NA,
  categories: BinaryOperator,
  label: "'*', '/', '//' or '%'",
});
export const StarStar = createToken({ name: "StarStar", pattern: /\*\*/, categories: BinaryOperator, label: "'**'" });
export const Star = createToken({ name: "Star", pattern: /\*/, categories: MultiplicativeOperator, label: "'*'" });
export const SlashSlash = createToken({
  name: "SlashSlash",
  pattern: /\/\//,
  categories: MultiplicativeOperator,
  label: "'//'",
});
export const Slash = createToken({ name: "Slash", pattern: /\//, categories: MultiplicativeOperator, label: "'/'" });
export const Percent = createToken({ name: "Percent", pattern: /%/, categories: MultiplicativeOperator, label: "'%'" });

export const keywords = [
  Import,
  Op,
  Block,
  Cell,
  Space,
  Fn,
  Return,
  Let,
  For,
  In,
  If,
  Else,
  Branches,
  Aggregate,
  Residual,
  Shortcut,
  Fixed,
  As,
  And,
  Or,
  Not,
  True,
  False,
];

/** Order matters: longer operators before their prefixes, comments before '/'. */
export const allTokens: TokenType[] = [
  WhiteSpace,
  LineComment,
  BlockComment,
  UnterminatedComment,
  StringLiteral,
  UnterminatedString,
  NumberLiteral,
  ...keywords,
  Identifier,
  Arrow,
  DotDot,
  LParen,
  RParen,
  LBracket,
  RBracket,
  LCurly,
  RCurly,
  Comma,
  Colon,
  Semicolon,
  BinaryOperator,
  PrefixOperator,
  ComparisonOperator,
  EqualEqual,
  NotEqual,
  LessEqual,
  GreaterEqual,
  Less,
  Greater,
  Equals,
  AdditiveOperator,
  Plus,
  Minus,
  MultiplicativeOperator,
  StarStar,
  Star,
  SlashSlash,
  Slash,
  Percent,
];

/**
 * Tracks offsets only: tracking lines and columns makes lexing several times
 * slower, and positions are computed from offsets anyway (positions.ts,
 * SourceFile). Chevrotain's offset-only tokens lack the `endOffset` that the
 * parser's node locations are built from, so this lexer adds it, by
 * overriding the (internal) method Chevrotain 11 makes offset-only tokens
 * with; test/grammar/parse.test.ts checks that tokens carry it.
 */
class OffsetLexer extends Lexer {
  protected createOffsetOnlyToken(
    image: string,
    startOffset: number,
    tokenTypeIdx: number,
    tokenType: TokenType,
  ): IToken {
    return { image, startOffset, endOffset: startOffset + image.length - 1, tokenTypeIdx, tokenType };
  }
}

/**
 * Chevrotain checks every token pattern when a lexer is built (tens of ms at
 * each start of `figs`); `figsLexer` skips those checks, and the tests build
 * the lexer with them (test/cli/bundle-grammar.test.ts).
 */
export function createFigsLexer(options: { readonly skipValidations?: boolean } = {}): Lexer {
  const skipValidations = options.skipValidations ?? false;
  return new OffsetLexer(allTokens, { ensureOptimizations: true, positionTracking: "onlyOffset", skipValidations });
}

let lexer: Lexer | undefined;

/** Built on first use, so `figs --version` and `figs --help` never build it. */
export const figsLexer: Pick<Lexer, "tokenize"> = {
  tokenize: (text, initialMode) => (lexer ??= createFigsLexer({ skipValidations: true })).tokenize(text, initialMode),
};
