/**
 * The TextMate grammar of .figs for editors (editors/vscode/syntaxes/figs.tmLanguage.json),
 * built from the language's own tables so that a new keyword, primitive, built-in
 * or type reaches the highlighting without anyone remembering it: keywords,
 * names and numbers come from the lexer (grammar/tokens.ts), primitives from the
 * compiler's op specs (compiler/ops/), built-in functions from its built-in table, and types and
 * aggregators from the elaborator's types (a new kind is a type error here).
 *
 * The JSON is generated (`npm run gen:editor-grammar`); test/editors/grammar.test.ts
 * fails when the committed file differs from what this module builds.
 */
import { Identifier, NumberLiteral, keywords } from "../grammar/tokens.js";
import { callNames, OP_SPECS } from "../compiler/ops/index.js";
import type { OpKind } from "../compiler/graph.js";
import { BUILTINS } from "../compiler/elaborate/builtins.js";
import { AGGREGATORS, type ParamType } from "../compiler/elaborate/values.js";

export const EDITOR_GRAMMAR_FILE = "editors/vscode/syntaxes/figs.tmLanguage.json";

/**
 * The scope of each keyword where no surrounding rule gives it a better one
 * (`in` is the loop keyword only in a `for` header; elsewhere it is the
 * incoming channel count). Every keyword of the lexer must be listed.
 */
export const KEYWORD_SCOPES: Readonly<Record<string, string>> = {
  import: "keyword.control.import.figs",
  op: "storage.type.definition.figs",
  block: "storage.type.definition.figs",
  cell: "storage.type.definition.figs",
  space: "storage.type.definition.figs",
  fn: "storage.type.definition.figs",
  return: "keyword.control.return.figs",
  let: "storage.type.let.figs",
  for: "keyword.control.loop.figs",
  in: "variable.language.in.figs",
  if: "keyword.control.conditional.figs",
  else: "keyword.control.conditional.figs",
  branches: "keyword.control.structure.figs",
  aggregate: "keyword.control.structure.figs",
  residual: "keyword.control.structure.figs",
  shortcut: "keyword.control.structure.figs",
  fixed: "storage.modifier.fixed.figs",
  as: "keyword.other.as.figs",
  and: "keyword.operator.logical.figs",
  or: "keyword.operator.logical.figs",
  not: "keyword.operator.logical.figs",
  true: "constant.language.boolean.figs",
  false: "constant.language.boolean.figs",
};

/**
 * Parameter types as written in a signature: every kind of ParamType a user
 * can name but `op`, which is also a keyword and highlighted as one.
 */
const TYPE_NAMES: Readonly<Record<Exclude<ParamType["kind"], "any" | "pair" | "op">, true>> = {
  int: true,
  float: true,
  bool: true,
  string: true,
  agg: true,
  tensor: true,
  list: true,
};

/** The words the grammar highlights, each list sorted. */
export interface Vocabulary {
  readonly keywords: readonly string[];
  readonly primitives: readonly string[];
  readonly builtins: readonly string[];
  readonly types: readonly string[];
  readonly aggregators: readonly string[];
}

export function vocabulary(): Vocabulary {
  // Every op of the spec table: those applied by name and those made by a built-in (input, concat, add).
  const primitives = new Set<string>((Object.keys(OP_SPECS) as OpKind[]).flatMap((op) => [op, ...callNames(op)]));
  return {
    keywords: keywords.map(keywordWord).sort(),
    primitives: [...primitives].sort(),
    builtins: Object.keys(BUILTINS)
      .filter((name) => !primitives.has(name))
      .sort(),
    types: Object.keys(TYPE_NAMES).sort(),
    aggregators: [...AGGREGATORS].sort(),
  };
}

function keywordWord(token: (typeof keywords)[number]): string {
  const pattern = token.PATTERN;
  if (!(pattern instanceof RegExp)) throw new Error(`keyword token ${token.name} has no regular expression`);
  return pattern.source;
}

type Rule = Readonly<Record<string, unknown>>;

const NAME = (Identifier.PATTERN as RegExp).source;
const NUMBER = (NumberLiteral.PATTERN as RegExp).source;
const words = (list: readonly string[]): string => String.raw`\b(?:${list.join("|")})\b`;
const include = (name: string): Rule => ({ include: `#${name}` });
const captures = (...scopes: string[]): Rule =>
  Object.fromEntries(scopes.map((scope, i) => [String(i + 1), { name: scope }]));
const whole = (scope: string): Rule => ({ "0": { name: scope } });

/** The keywords grouped by scope, one rule per scope, in the order of the scope table. */
function keywordRules(keywordList: readonly string[]): Rule[] {
  const unknown = keywordList.filter((word) => !Object.hasOwn(KEYWORD_SCOPES, word));
  const stale = Object.keys(KEYWORD_SCOPES).filter((word) => !keywordList.includes(word));
  if (unknown.length > 0 || stale.length > 0) {
    throw new Error(
      `scripts/editor-grammar.ts: give a scope to [${unknown.join(", ")}], drop [${stale.join(", ")}] ` +
        "(keywords of grammar/tokens.ts)",
    );
  }
  const byScope = new Map<string, string[]>();
  for (const [word, scope] of Object.entries(KEYWORD_SCOPES)) byScope.set(scope, [...(byScope.get(scope) ?? []), word]);
  return [...byScope].map(([scope, list]) => ({ name: scope, match: words([...list].sort()) }));
}

function definitionWords(): string[] {
  return Object.keys(KEYWORD_SCOPES).filter((word) => KEYWORD_SCOPES[word] === "storage.type.definition.figs");
}

/** `op name(params)`: the name and the parameter list, up to the body's `{`. */
function definitionRules(types: readonly string[]): Record<string, Rule> {
  return {
    definition: {
      name: "meta.definition.figs",
      begin: String.raw`\b(${definitionWords().join("|")})\b(?:\s+(${NAME}))?`,
      beginCaptures: captures("storage.type.definition.figs", "entity.name.function.figs"),
      end: String.raw`(?<=\))|(?=[{}])`,
      patterns: [include("comments"), include("parameters"), { name: "entity.name.function.figs", match: NAME }],
    },
    // Ends before a `{` too, so an unclosed list does not swallow the body being typed.
    parameters: {
      name: "meta.parameters.figs",
      begin: String.raw`\(`,
      beginCaptures: whole("punctuation.section.parameters.begin.figs"),
      end: String.raw`\)|(?=\{)`,
      endCaptures: whole("punctuation.section.parameters.end.figs"),
      patterns: [include("comments"), include("parameter"), include("expression")],
    },
    parameter: {
      begin: String.raw`\b(${NAME})\s*(:)`,
      beginCaptures: captures("variable.parameter.figs", "punctuation.separator.annotation.figs"),
      end: String.raw`(?=[,)={])`,
      patterns: [
        include("comments"),
        { name: "support.type.builtin.figs", match: words(types) },
        { name: "entity.name.type.figs", match: NAME },
        { name: "punctuation.section.brackets.begin.figs", match: String.raw`\[` },
        { name: "punctuation.section.brackets.end.figs", match: String.raw`\]` },
      ],
    },
  };
}

function literalRules(): Record<string, Rule> {
  return {
    comments: {
      patterns: [
        {
          name: "comment.block.figs",
          begin: String.raw`/\*`,
          end: String.raw`\*/`,
          captures: whole("punctuation.definition.comment.figs"),
        },
        {
          name: "comment.line.number-sign.figs",
          match: "(#).*$",
          captures: captures("punctuation.definition.comment.figs"),
        },
      ],
    },
    // One line only, like the lexer: an unclosed string ends at the line's end.
    strings: {
      name: "string.quoted.double.figs",
      begin: '"',
      beginCaptures: whole("punctuation.definition.string.begin.figs"),
      end: '(")|$',
      endCaptures: captures("punctuation.definition.string.end.figs"),
      patterns: [{ name: "constant.character.escape.figs", match: String.raw`\\.` }],
    },
    // The lexer's number pattern; a fraction or an exponent makes it a float.
    numbers: {
      patterns: [
        { name: "constant.numeric.float.figs", match: String.raw`\b(?=\d[\d_]*(?:\.\d|[eE][+-]?\d))${NUMBER}` },
        { name: "constant.numeric.integer.figs", match: String.raw`\b${NUMBER}` },
      ],
    },
  };
}

function keywordContextRules(): Record<string, Rule> {
  return {
    "for-header": {
      match: String.raw`\b(for)\s+(${NAME})\s+(in)\b`,
      captures: captures("keyword.control.loop.figs", "variable.other.loop.figs", "keyword.control.loop.figs"),
    },
    "let-name": {
      match: String.raw`\b(let)\s+(${NAME})`,
      captures: captures("storage.type.let.figs", "variable.other.figs"),
    },
    "as-name": {
      match: String.raw`\b(as)\s+(${NAME})`,
      captures: captures("keyword.other.as.figs", "entity.name.label.figs"),
    },
  };
}

function nameRules(vocab: Vocabulary): Record<string, Rule> {
  return {
    names: {
      patterns: [
        // `input` alone is the tensor a definition was applied to; `input(h, w, c)` the primitive.
        { name: "variable.language.input.figs", match: String.raw`\binput\b(?!\s*\()` },
        // `sum` and `concat` alone are aggregators (`aggregate sum`, `agg: agg = concat`); called, they make nodes.
        { name: "support.constant.aggregator.figs", match: String.raw`${words(vocab.aggregators)}(?!\s*\()` },
        { name: "support.function.primitive.figs", match: words(vocab.primitives) },
        { name: "support.function.builtin.figs", match: words(vocab.builtins) },
        { name: "entity.name.function.call.figs", match: String.raw`\b${NAME}(?=\s*\()` },
      ],
    },
    "named-argument": {
      match: String.raw`\b(${NAME})\s*(:)`,
      captures: captures("variable.parameter.named-argument.figs", "punctuation.separator.named-argument.figs"),
    },
  };
}

/** Brackets and operators. Longer operators come first: `->` before `-`, `**` and `//` before `*` and `/`. */
function punctuationRules(): Record<string, Rule> {
  return {
    parens: {
      begin: String.raw`\(`,
      beginCaptures: whole("punctuation.section.parens.begin.figs"),
      end: String.raw`\)`,
      endCaptures: whole("punctuation.section.parens.end.figs"),
      patterns: [include("comments"), include("named-argument"), include("expression")],
    },
    brackets: {
      begin: String.raw`\[`,
      beginCaptures: whole("punctuation.section.brackets.begin.figs"),
      end: String.raw`\]`,
      endCaptures: whole("punctuation.section.brackets.end.figs"),
      patterns: [{ name: "punctuation.separator.slice.figs", match: ":" }, include("expression")],
    },
    operators: {
      patterns: [
        { name: "keyword.operator.chain.figs", match: "->" },
        { name: "keyword.operator.range.figs", match: String.raw`\.\.` },
        { name: "keyword.operator.comparison.figs", match: "==|!=|<=|>=|<|>" },
        { name: "keyword.operator.assignment.figs", match: "=" },
        { name: "keyword.operator.arithmetic.figs", match: String.raw`\*\*|//|[-+*/%]` },
      ],
    },
    punctuation: {
      patterns: [
        { name: "punctuation.section.block.begin.figs", match: String.raw`\{` },
        { name: "punctuation.section.block.end.figs", match: String.raw`\}` },
        { name: "punctuation.separator.comma.figs", match: "," },
        { name: "punctuation.terminator.statement.figs", match: ";" },
        { name: "punctuation.separator.colon.figs", match: ":" },
      ],
    },
  };
}

export function editorGrammar(vocab: Vocabulary = vocabulary()): Rule {
  const expression = [
    "comments",
    "strings",
    "numbers",
    "for-header",
    "let-name",
    "as-name",
    "keywords",
    "names",
    "parens",
    "brackets",
    "operators",
    "punctuation",
  ].map(include);
  return {
    information_for_contributors: [
      "Generated by scripts/gen-editor-grammar.ts (npm run gen:editor-grammar) from scripts/editor-grammar.ts",
      "and the language's own tables; edit those, not this file.",
    ],
    name: "figs",
    scopeName: "source.figs",
    fileTypes: ["figs"],
    patterns: [include("comments"), include("definition"), include("expression")],
    repository: {
      expression: { patterns: expression },
      ...literalRules(),
      ...definitionRules(vocab.types),
      ...keywordContextRules(),
      keywords: { patterns: keywordRules(vocab.keywords) },
      ...nameRules(vocab),
      ...punctuationRules(),
    },
  };
}

/** The file's text: what `npm run gen:editor-grammar` writes and the test compares. */
export function editorGrammarText(): string {
  return `${JSON.stringify(editorGrammar(), null, 2)}\n`;
}
