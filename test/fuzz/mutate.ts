/**
 * Input mutations for parser fuzzing: character and token edits,
 * truncations, splices of two files and duplicated slices; and gentle ones
 * (comments and line breaks between tokens) that mostly keep a file valid.
 * Deterministic for a given random source.
 */
export type Random = () => number;

/** Texts that exercise the lexer and the grammar's decisions. */
const TOKEN_TEXTS = [
  "op",
  "block",
  "cell",
  "space",
  "let",
  "for",
  "in",
  "if",
  "else",
  "branches",
  "aggregate",
  "residual",
  "shortcut",
  "fixed",
  "as",
  "and",
  "or",
  "not",
  "true",
  "false",
  "import",
  "sum",
  "concat",
  "input",
  "relu",
  "conv(3, 16)",
  "->",
  "..",
  "(",
  ")",
  "[",
  "]",
  "{",
  "}",
  ",",
  ":",
  ";",
  "=",
  "==",
  "!=",
  "<",
  "<=",
  ">",
  ">=",
  "+",
  "-",
  "*",
  "/",
  "//",
  "%",
  "**",
  "0",
  "1_000",
  "2.5",
  "1e-3",
  '"s"',
  '"',
  "/*",
  "*/",
  "#",
  "\n",
  "x",
  "in * 2",
  "[1:2:3]",
];

/** Single characters, including ones no token starts with, control characters and non-ASCII. */
const CHARACTERS = [
  ..."(){}[],:;=<>!+-*/%.#\"'\\@$&|^~`?_ \t\n\r0123456789abcxyzABC",
  "\u0000",
  "\u0001",
  "\u007f",
  "\u00a0",
  "é",
  "✓",
  "\ufeff",
  "\ud83d\ude00",
  "\u2028",
];

const COMMENTS = ["/* c */", "/**/", "/* a\n  b */", "/* # */"];
const LINE_COMMENTS = ["# c", "#", "# prettier-ignore", "# /* */"];

/** A random offset holding whitespace (between tokens, or inside a string or comment), or -1. */
function whitespaceAt(random: Random, text: string): number {
  const start = position(random, text);
  for (let i = 0; i < text.length; i++) {
    const p = (start + i) % text.length;
    if (/\s/.test(text[p]!)) return p;
  }
  return -1;
}

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function position(random: Random, text: string): number {
  return Math.floor(random() * (text.length + 1));
}

/** A span of roughly one token: a run of word characters, or one other character. */
function tokenSpan(random: Random, text: string): [number, number] {
  const start = Math.min(position(random, text), Math.max(0, text.length - 1));
  let end = start + 1;
  if (/\w/.test(text[start] ?? "")) while (end < text.length && /\w/.test(text[end]!)) end++;
  return [start, Math.min(end, text.length)];
}

const mutations: ReadonlyArray<(random: Random, text: string, other: string) => string> = [
  (r, t) => {
    const p = position(r, t);
    return t.slice(0, p) + pick(r, CHARACTERS) + t.slice(p);
  },
  (r, t) => {
    const p = position(r, t);
    return t.slice(0, p) + t.slice(p + 1);
  },
  (r, t) => {
    const p = position(r, t);
    return t.slice(0, p) + pick(r, CHARACTERS) + t.slice(p + 1);
  },
  (r, t) => {
    const p = position(r, t);
    return `${t.slice(0, p)} ${pick(r, TOKEN_TEXTS)} ${t.slice(p)}`;
  },
  (r, t) => {
    const [a, b] = tokenSpan(r, t);
    return t.slice(0, a) + t.slice(b);
  },
  (r, t) => {
    const [a, b] = tokenSpan(r, t);
    return t.slice(0, a) + pick(r, TOKEN_TEXTS) + t.slice(b);
  },
  (r, t) => t.slice(0, position(r, t)),
  (r, t, o) => t.slice(0, position(r, t)) + o.slice(position(r, o)),
  (r, t) => {
    const a = position(r, t);
    const b = Math.min(t.length, a + Math.floor(r() * 80));
    return t.slice(0, b) + t.slice(a, b) + t.slice(b);
  },
  (r, t) => {
    const lines = t.split("\n");
    const i = Math.floor(r() * lines.length);
    lines.splice(i, 1);
    return lines.join("\n");
  },
];

/** Edits that keep most files valid, so the formatter sees comments and line breaks in unusual places. */
const gentleMutations: ReadonlyArray<(random: Random, text: string) => string> = [
  (r, t) => {
    const p = whitespaceAt(r, t);
    return p < 0 ? t : `${t.slice(0, p)} ${pick(r, COMMENTS)} ${t.slice(p)}`;
  },
  (r, t) => {
    const lines = t.split("\n");
    const i = Math.floor(r() * lines.length);
    lines[i] += ` ${pick(r, LINE_COMMENTS)}`;
    return lines.join("\n");
  },
  (r, t) => {
    const p = whitespaceAt(r, t);
    return p < 0 ? t : `${t.slice(0, p)}\n${t.slice(p)}`;
  },
];

/** Applies one to four random mutations to `text`; `other` is the second file for splices. */
export function mutate(random: Random, text: string, other: string): string {
  let result = text;
  const count = 1 + Math.floor(random() * 4);
  for (let i = 0; i < count; i++) result = pick(random, mutations)(random, result, other);
  return result;
}

/** Applies one to four edits that rarely break a valid file: comments and line breaks between tokens. */
export function mutateGently(random: Random, text: string): string {
  let result = text;
  const count = 1 + Math.floor(random() * 4);
  for (let i = 0; i < count; i++) result = pick(random, gentleMutations)(random, result);
  return result;
}
