/**
 * The hostile inputs of issue #11, each with the command that ran out of time
 * or memory on it, plus the worst cases of the limits that now stop them
 * (just under each limit, and far past it). Deterministic: the same files on
 * every run.
 */
import { generateFigsSource } from "../parse/generate-source.js";
import { MAX_SOURCE_BYTES } from "../../grammar/read-source.js";
import { DEFAULT_LIMITS } from "../../compiler/index.js";

export interface HostileCase {
  /** Short name, also the file name (`<name>.figs`). */
  readonly name: string;
  /** What the file holds, for the table. */
  readonly input: string;
  /** Arguments after `figs`; `{file}` is the input, `{out}` an IR path in the temporary folder, `{dir}` that folder. */
  readonly args: readonly string[];
  readonly text: () => string;
  /** Other files the input reads (imports), by name in the folder. */
  readonly files?: () => Readonly<Record<string, string>>;
  /** A `figs` command run first and not measured (say, compiling the IR that `args` reads). */
  readonly setup?: readonly string[];
}

const NODE_LIMIT = DEFAULT_LIMITS.maxNodes;

function lines(count: number, line: (i: number) => string): string {
  const parts: string[] = [];
  for (let i = 0; i < count; i++) parts.push(line(i));
  return `${parts.join("\n")}\n`;
}

/** `let` lines up to at least `bytes` bytes. */
function lets(bytes: number): string {
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; length < bytes; i++) {
    const line = `let x${i} = ${i}`;
    parts.push(line);
    length += line.length + 1;
  }
  return `${parts.join("\n")}\n`;
}

/** The most tokens and AST nodes per byte: one list literal of `1,`, just under the source limit. */
function longList(bytes: number): string {
  const count = Math.floor((bytes - 20) / 2);
  return `let x = [${"1,".repeat(count)}1]\n`;
}

/** Operator chains, the formatter's slowest text per byte, just under the source limit. */
function operatorLines(bytes: number): string {
  const line = `let b = ${Array.from({ length: 30 }, () => "a").join(" + ")}`;
  return `let a = 1\n${lines(Math.floor((bytes - 10) / (line.length + 1)), () => line)}`;
}

/** A realistic file (the parse benchmark's generator) cut to whole definition groups under `bytes`. */
function realistic(bytes: number): string {
  const text = generateFigsSource(bytes);
  if (text.length <= bytes) return text;
  const cut = text.lastIndexOf("\n# separable convolution", bytes);
  return `${text.slice(0, cut)}\n`;
}

const space = (body: string, prelude = ""): string => `${prelude}space s() {\n  input(8, 8, 4)\n${body}\n}\n`;

export const HOSTILE_CASES: readonly HostileCase[] = [
  {
    name: "lets-150k",
    input: "150,000 `let` lines (2.8 MB)",
    args: ["check", "{file}"],
    text: () => lines(150_000, (i) => `let x${i} = ${i}`),
  },
  { name: "lets-12mb", input: "`let` lines, 12 MB", args: ["check", "{file}"], text: () => lets(12 * 2 ** 20) },
  {
    name: "generated-12mb",
    input: "generated definitions, 12 MB",
    args: ["fmt", "--check", "{file}"],
    text: () => generateFigsSource(12 * 2 ** 20),
  },
  {
    name: "lets-limit",
    input: `\`let\` lines, just under ${MAX_SOURCE_BYTES / 1024} KiB`,
    args: ["check", "{file}"],
    text: () => lets(MAX_SOURCE_BYTES - 64),
  },
  {
    name: "generated-limit",
    input: `generated definitions, under ${MAX_SOURCE_BYTES / 1024} KiB`,
    args: ["check", "{file}"],
    text: () => realistic(MAX_SOURCE_BYTES),
  },
  {
    name: "generated-limit-fmt",
    input: `generated definitions, under ${MAX_SOURCE_BYTES / 1024} KiB`,
    args: ["fmt", "--check", "{file}"],
    text: () => realistic(MAX_SOURCE_BYTES),
  },
  {
    name: "list-limit",
    input: `one list literal, just under ${MAX_SOURCE_BYTES / 1024} KiB`,
    args: ["fmt", "--check", "{file}"],
    text: () => longList(MAX_SOURCE_BYTES),
  },
  {
    name: "list-limit-check",
    input: `one list literal, just under ${MAX_SOURCE_BYTES / 1024} KiB`,
    args: ["check", "{file}"],
    text: () => longList(MAX_SOURCE_BYTES),
  },
  {
    name: "operators-limit",
    input: `operator chains, just under ${MAX_SOURCE_BYTES / 1024} KiB`,
    args: ["fmt", "--check", "{file}"],
    text: () => operatorLines(MAX_SOURCE_BYTES),
  },
  {
    name: "nodes-999k",
    input: "a space of 999,991 relus",
    args: ["compile", "{file}", "-o", "{out}"],
    text: () => space("  for i in 0..999990 { relu }"),
  },
  {
    name: "nodes-limit",
    input: `a space at the node limit (${NODE_LIMIT.toLocaleString("en-US")} relus)`,
    args: ["compile", "{file}", "-o", "{out}"],
    text: () => space(`  for i in 0..${NODE_LIMIT - 1} { relu }`),
  },
  {
    name: "nodes-limit-stdout",
    input: "the same, IR to standard output",
    args: ["compile", "{file}"],
    text: () => space(`  for i in 0..${NODE_LIMIT - 1} { relu }`),
  },
  {
    name: "convs-200k",
    input: "200,000 convs",
    args: ["cost", "{file}"],
    text: () => space("  for i in 0..200000 { conv(1, 8) }"),
  },
  {
    name: "convs-limit",
    input: "convs at the node limit",
    args: ["compile", "{file}", "-o", "{out}"],
    text: () => space(`  for i in 0..${NODE_LIMIT - 1} { conv(1, 8) }`),
  },
  {
    name: "convs-limit-cost",
    input: "convs at the node limit",
    args: ["cost", "{file}"],
    text: () => space(`  for i in 0..${NODE_LIMIT - 1} { conv(1, 8) }`),
  },
  {
    name: "convs-limit-check",
    input: "convs at the node limit",
    args: ["check", "{file}"],
    text: () => space(`  for i in 0..${NODE_LIMIT - 1} { conv(1, 8) }`),
  },
  {
    name: "nested-for",
    input: "nested for loops, 10^10 iterations",
    args: ["check", "{file}"],
    text: () => space("  for i in 0..100000 { for j in 0..100000 { } }"),
  },
  {
    name: "fan-out",
    input: "a definition calling itself twice, 2^30 leaves",
    args: ["check", "{file}"],
    text: () => space("  f(30)", "op f(n: int) {\n  if n > 0 { f(n - 1) -> f(n - 1) } else { relu }\n}\n"),
  },
  {
    name: "fan-out-compile",
    input: "the same, compiled",
    args: ["compile", "{file}", "-o", "{out}"],
    text: () => space("  f(30)", "op f(n: int) {\n  if n > 0 { f(n - 1) -> f(n - 1) } else { relu }\n}\n"),
  },
  {
    name: "fan-out-empty",
    input: "a fan-out of calls that create nothing",
    args: ["check", "{file}"],
    text: () => space("  f(40)", "op f(n: int) {\n  if n > 0 { f(n - 1) -> f(n - 1) }\n}\n"),
  },
  {
    name: "deep-nodes",
    input: "256-deep recursion, a node at every level, 900 times",
    args: ["compile", "{file}", "-o", "{out}"],
    text: () => space("  for i in 0..900 { r(255) }", "op r(n: int) {\n  relu\n  if n > 0 { r(n - 1) }\n}\n"),
  },
  {
    name: "quadratic-list",
    input: "xs = xs + [i] in a loop",
    args: ["check", "{file}"],
    text: () => space("  let xs = []\n  for i in 0..1000000 { xs = xs + [i] }"),
  },
  {
    name: "dense-concat",
    input: "concat of a growing list of tensors",
    args: ["check", "{file}"],
    text: () =>
      space("  let xs = [relu]\n  for i in 0..100000 {\n    let h = concat(xs) -> conv(1, 4)\n    xs = xs + [h]\n  }"),
  },
  {
    name: "doubling-concat",
    input: "x = concat(x, x), 40 times",
    args: ["check", "{file}"],
    text: () => space("  conv(1, 4)\n  for i in 0..40 {\n    let a = relu\n    concat(a, a)\n  }"),
  },
  {
    name: "many-spaces",
    input: "2,000 spaces applying one 1,000-node block",
    args: ["check", "{file}"],
    text: () =>
      `block b() {\n  for i in 0..1000 { relu }\n}\n${lines(2000, (i) => `space s${i}() { input(8, 8, 4) -> b }`)}`,
  },
  {
    name: "unknown-names",
    input: "12,000 constants, each naming an unknown one",
    args: ["check", "{file}"],
    text: () => lines(12_000, (i) => `let x${i} = y${i}`),
  },
  {
    name: "labels-in-loop",
    input: "`relu as r` in a loop, up to the node limit",
    args: ["compile", "{file}", "-o", "{out}"],
    text: () => space(`  for i in 0..${NODE_LIMIT - 1} { relu as r }`),
  },
  {
    name: "string-doubling",
    input: "s = s + s, 40 times",
    args: ["check", "{file}"],
    text: () => space('  let s = "ab"\n  for i in 0..40 { s = s + s }'),
  },
  {
    name: "nested-lists",
    input: "x = [x], 1,000,000 times, then x == x",
    args: ["check", "{file}"],
    text: () => space("  let x = [1]\n  for i in 0..1000000 { x = [x] }\n  let same = x == x"),
  },
  {
    name: "imports-limit",
    input: "two imports of one long list each, together just under 512 KiB",
    args: ["check", "{file}"],
    text: () => 'import "list-a.figs"\nimport "list-b.figs"\nspace s() { input(8, 8, 4) }\n',
    files: () => ({
      "list-a.figs": longList(MAX_SOURCE_BYTES - 1024).replace("let x", "let a"),
      "list-b.figs": longList(MAX_SOURCE_BYTES - 1024).replace("let x", "let b"),
    }),
  },
  {
    name: "ir-read",
    input: "the IR of convs at the node limit, read back",
    args: ["cost", "{dir}/convs.ir.json"],
    text: () => space(`  for i in 0..${NODE_LIMIT - 1} { conv(1, 8) }`),
    setup: ["compile", "{file}", "-o", "{dir}/convs.ir.json"],
  },
  {
    name: "widths-limit",
    input: "convs at the node limit, --widths naming every group",
    args: ["cost", "{file}", "--widths", "{dir}/widths.json"],
    text: () => space(`  for i in 0..${NODE_LIMIT - 1} { conv(1, 8) }`),
    files: () => ({
      "widths.json": JSON.stringify({
        widths: Object.fromEntries(Array.from({ length: NODE_LIMIT - 1 }, (_, i) => [`conv_${i}`, 4])),
      }),
    }),
  },
  {
    name: "long-names",
    input: "100,000 relus in three definitions with 124-character names",
    args: ["compile", "{file}", "-o", "{out}"],
    text: () => {
      const long = (i: number) => `d${i}_${"n".repeat(120)}`;
      const defs = [1, 2, 3]
        .map((i) => `op ${long(i)}() { ${i < 3 ? long(i + 1) : "for j in 0..100 { relu }"} }`)
        .join("\n");
      return space(`  for i in 0..1000 { ${long(1)} }`, `${defs}\n`);
    },
  },
  {
    name: "conv-2^26",
    input: "conv(3, 2**26) -> conv(3, 2**26)",
    args: ["cost", "{file}"],
    text: () => space("  conv(3, 2**26) -> conv(3, 2**26)"),
  },
];
