/**
 * Hostile inputs to the compiler (issue #11): each either compiles or stops
 * with a limit diagnostic (FIGS4xxx) that names the limit and its number,
 * never with a stack overflow or an internal error (FIGS9999). Nothing here
 * is timed: speed and memory are measured by bench/limits.
 */
import { describe, expect, it } from "vitest";
import { checkFile } from "../../cli/commands/check.js";
import { compile } from "../../compiler/index.js";
import { elaborate, elaborateSpaces, DEFAULT_LIMITS } from "../../compiler/elaborate/index.js";
import { MAX_CHANNEL_SLICES } from "../../compiler/masks/budget.js";
import { placeMasks } from "../../compiler/masks/index.js";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";

const codes = (diagnostics: readonly Diagnostic[]) => diagnostics.map((d) => d.code);
const noHost = { readFile: () => ({ ok: false, text: "", diagnostics: [] }), stdlibDir: "stdlib" };
const space = (body: string, prelude = "") => `${prelude}space s() {\n  input(8, 8, 4)\n${body}\n}\n`;

function lets(count: number): string {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) lines.push(`let x${i} = ${i}`);
  return `${lines.join("\n")}\n`;
}

describe("150,000 top-level constants", () => {
  it("check without a stack overflow: no diagnostic at all", () => {
    const text = lets(150_000);
    expect(text.length).toBeGreaterThan(2_800_000);
    const file = { path: "lets.figs", readable: true, text, diagnostics: [] };
    // The stages themselves, on the text: `figs check` refuses a file this large before parsing it
    // (FIGS4005, test/cli/limits).
    const outcome = checkFile(file, noHost);
    expect(codes(outcome.diagnostics)).toEqual([]);
  }, 120_000);

  it("suggest names without scanning all of them for every unknown one", () => {
    const text = Array.from({ length: 20_000 }, (_, i) => `let x${i} = y${i}`).join("\n");
    const result = elaborate({ path: "unknown.figs", text, library: true }, noHost);
    expect(result.diagnostics).toHaveLength(200); // the reporter's cap
    expect(new Set(codes(result.diagnostics))).toEqual(new Set(["FIGS2001"]));
  }, 120_000);
});

describe("elaboration work is bounded by the steps limit", () => {
  const stopped = (text: string, prelude = "") =>
    codes(elaborate({ path: "s.figs", text: space(text, prelude) }, noHost).diagnostics);

  it.each([
    ["nested loops that create nothing", "  for i in 0..100000 { for j in 0..100000 { } }"],
    ["a list grown by copying", "  let xs = []\n  for i in 0..1000000 { xs = xs + [i] }"],
    ["slices in a loop", "  let xs = 0..100000\n  for i in 0..1000000 { let y = xs[1:] }"],
    ["comparing long lists in a loop", "  let xs = 0..100000\n  for i in 0..1000000 { let y = xs == xs[0:] }"],
    ["max of a long list in a loop", "  let xs = 0..100000\n  for i in 0..1000000 { let y = max(xs) }"],
  ])("%s", (_name, body) => {
    expect(stopped(body)).toEqual(["FIGS4003"]);
  });

  it("a fan-out of calls that create no node", () => {
    expect(stopped("  f(60)", "op f(n: int) {\n  if n > 0 { f(n - 1) -> f(n - 1) }\n}\n")).toEqual(["FIGS4003"]);
  });

  it("lists that hold one long list a thousand times compare at once: the same list is equal to itself", () => {
    const body =
      "  let big = 0..1000000\n  let a = []\n  for i in 0..1000 { a = a + [big] }\n" +
      "  let b = a[0:]\n  let same = a == b";
    expect(stopped(body)).toEqual([]);
  });

  it("lists that hold a thousand copies of a long list cost their copies first", () => {
    const body = "  let big = 0..1000000\n  let a = []\n  for i in 0..1000 { a = a + [big[0:]] }";
    expect(stopped(body)).toEqual(["FIGS4003"]);
  });
});

describe("values that would grow without bound", () => {
  it("max and min of a million numbers: no spread of a million arguments", () => {
    const result = elaborate(
      { path: "s.figs", text: space("  let m = max(0..999999)\n  conv(1, m // 100000)") },
      noHost,
    );
    expect(result.diagnostics).toEqual([]);
    expect(result.graph?.nodes[1]?.shape.channels).toBe(9);
  });

  it("x = [x] a million times stops at the list-nesting limit; nothing recurses a million deep", () => {
    const result = elaborate(
      { path: "s.figs", text: space("  let x = [1]\n  for i in 0..1000000 { x = [x] }\n  let same = x == x") },
      noHost,
    );
    expect(codes(result.diagnostics)).toEqual(["FIGS4007"]);
    expect(result.diagnostics[0]!.message).toBe(
      "this list would nest lists more than 64 deep (the list-nesting limit); flatten it",
    );
  });

  it("s = s + s stops at the list-length limit, before the string reaches a gigabyte", () => {
    expect(
      codes(
        elaborate({ path: "s.figs", text: space('  let s = "ab"\n  for i in 0..40 { s = s + s }') }, noHost)
          .diagnostics,
      ),
    ).toEqual(["FIGS4004"]);
  });
});

describe("the node limit", () => {
  it("a recursive fan-out that would make 2^30 nodes stops at the limit", () => {
    const result = elaborate(
      {
        path: "s.figs",
        text: space("  f(30)", "op f(n: int) {\n  if n > 0 { f(n - 1) -> f(n - 1) } else { relu }\n}\n"),
      },
      noHost,
    );
    expect(codes(result.diagnostics)).toEqual(["FIGS4001"]);
  }, 60_000);

  it("a loop that would make a million nodes stops at 120,000", () => {
    const result = elaborate({ path: "s.figs", text: space("  for i in 0..999990 { relu }") }, noHost);
    expect(codes(result.diagnostics)).toEqual(["FIGS4001"]);
    expect(result.diagnostics[0]!.message).toBe(
      "the space has more than 120,000 primitive nodes; make it smaller or check loops and recursion",
    );
  }, 60_000);

  it("nodes deep in a recursion count every instance they sit in (the IR records them per node)", () => {
    const text = space("  for i in 0..900 { r(255) }", "op r(n: int) {\n  relu\n  if n > 0 { r(n - 1) }\n}\n");
    const result = elaborate({ path: "s.figs", text }, noHost);
    expect(codes(result.diagnostics)).toEqual(["FIGS4001"]);
    expect(result.diagnostics[0]!.message).toMatch(
      new RegExp(
        /^the nodes of this space sit in more than 600,000 definition instances in all /.source +
          /\(each node records every instance it is in; these [\d,]+ sit \d+ deep on average\): /.source +
          /make the recursion shallower, or loop instead of recursing$/.source,
      ),
    );
    expect(DEFAULT_LIMITS.maxScopeEntries).toBe(600_000);
  }, 60_000);

  it("is shared by the spaces of one check, whose message names them all", () => {
    const spaces = [0, 1, 2, 3].map((i) => `space s${i}() { input(8, 8, 4) -> b }`).join("\n");
    const text = `block b() {\n  for i in 0..40 { relu }\n}\n${spaces}\n`;
    const result = elaborateSpaces({ path: "many.figs", text, limits: { maxNodes: 100 } }, noHost, () => []);
    expect(codes(result.diagnostics)).toEqual(["FIGS4001"]);
    expect(result.diagnostics[0]!.message).toBe(
      "checking the 4 spaces of this file creates more than 100 primitive nodes in all " +
        "(the node limit of one check); compile the spaces one at a time (figs compile FILE --space NAME)",
    );
  });

  it("a check elaborates each space of a file once and places the masks of each", () => {
    const spaces = [0, 1, 2].map((i) => `space s${i}() { input(8, 8, 4) -> b }`).join("\n");
    const text = `block b() {\n  conv(1, 8) -> relu\n}\n${spaces}\n`;
    const visited: number[] = [];
    const result = elaborateSpaces({ path: "three.figs", text }, noHost, (graph) => {
      visited.push(graph.nodes.length);
      return placeMasks(graph).diagnostics;
    });
    expect(result.diagnostics).toEqual([]);
    expect(visited).toEqual([3, 3, 3]);
  });
});

describe("the IR-size limit", () => {
  it("a space whose nodes repeat long names in deep scopes is not written as a gigabyte of IR", () => {
    const long = (i: number) => `d${i}_${"n".repeat(120)}`;
    const defs = [1, 2, 3]
      .map((i) => `op ${long(i)}() { ${i < 3 ? long(i + 1) : "for j in 0..100 { relu }"} }`)
      .join("\n");
    const result = compile(
      { path: "names.figs", text: space(`  for i in 0..1000 { ${long(1)} }`, `${defs}\n`) },
      { host: noHost },
    );
    expect(result.ir).toBeUndefined();
    expect(codes(result.diagnostics)).toEqual(["FIGS4009"]);
    expect(result.diagnostics[0]!.message).toMatch(
      new RegExp(
        /^the IR of this space would be about [\d.]+ MiB, /.source +
          /more than the 80\.0 MiB figs writes \(the IR-size limit\): /.source +
          /each of its 100,001 nodes repeats its name, file and scopes; /.source +
          /shorten names and paths, or make the space smaller$/.source,
      ),
    );
  }, 60_000);
});

describe("names in a scope", () => {
  const names = (body: string) =>
    elaborate({ path: "s.figs", text: space(body) }, noHost)
      .graph!.nodes.slice(1)
      .map((n) => n.name.split(".").pop());

  it("a label in a loop gets the next suffix each time", () => {
    expect(names("  for i in 0..4 { relu as r }")).toEqual(["r", "r_1", "r_2", "r_3"]);
  });

  it("numbered names skip a label that took one, and a label skips a number already given", () => {
    expect(names("  relu as relu_1\n  relu\n  relu")).toEqual(["relu_1", "relu_0", "relu_2"]);
    expect(names("  relu\n  relu as relu_0")).toEqual(["relu_0", "relu_0_1"]);
  });
});

describe("the channel-slice limit of mask placement", () => {
  const message =
    `placing the masks of this space takes more than ${MAX_CHANNEL_SLICES.toLocaleString("en-US")} channel slices ` +
    "(runs of channels from one op; the channel-slice limit), reached here: " +
    "concatenating a growing list in a loop, or a tensor with itself over and over, does this; " +
    "concatenate fewer tensors, or once after the loop";

  it("x = concat(x, x) forty times stops instead of building 2^40 slices", () => {
    const result = compile(
      { path: "s.figs", text: space("  conv(1, 4)\n  for i in 0..40 {\n    let a = relu\n    concat(a, a)\n  }") },
      { host: noHost },
    );
    expect(codes(result.diagnostics)).toEqual(["FIGS4006"]);
    expect(result.diagnostics[0]!.message).toBe(message);
    expect(result.diagnostics[0]!.range!.start.line).toBe(6);
  });

  it("adds that shift channels against each other cannot cut a 2^22-channel conv into single channels", () => {
    const body =
      "  let a = conv(1, 2**22 - 1)\n  let b = conv(1, 1)\n  let c = conv(1, 2**22)\n" +
      "  add(concat(a, b), concat(b, a), c)";
    const result = compile({ path: "s.figs", text: space(body) }, { host: noHost });
    expect(codes(result.diagnostics)).toEqual(["FIGS4006"]);
  });
});
