import { describe, it } from "vitest";
import { expectFormatted } from "./helpers.js";

describe("statements and definitions", () => {
  it("prints a definition with one statement per line", () =>
    expectFormatted("op a(k:int){conv(k,8)->bn}", "op a(k: int) {\n  conv(k, 8) -> bn\n}\n"));
  it("prints empty bodies as {}", () => expectFormatted("op a() {   }", "op a() {}\n"));
  it("drops semicolons", () => expectFormatted("let A = 1; let B = 2;", "let A = 1\nlet B = 2\n"));
  it("needs no semicolon before a line starting with a parenthesis", () =>
    expectFormatted("op a() { relu; (x) }", "op a() {\n  relu\n  (x)\n}\n"));
  it("keeps a semicolon a sign would otherwise join", () =>
    expectFormatted("op a() { relu; -1 }", "op a() {\n  relu;\n  -1\n}\n"));
  it("ends with a newline", () => expectFormatted('import "a.figs"', 'import "a.figs"\n'));
  it("prints an empty file as nothing", () => expectFormatted("  \n\n", ""));
  it("prints else if", () =>
    expectFormatted(
      "op a() { if x { relu } else if y { bn } else { } }",
      "op a() {\n  if x {\n    relu\n  } else if y {\n    bn\n  } else {}\n}\n",
    ));
  it("prints for loops", () =>
    expectFormatted("op a() { for i in 0..n { relu } }", "op a() {\n  for i in 0..n {\n    relu\n  }\n}\n"));
  it("prints assignments", () => expectFormatted("op a() { xs = xs+[h] }", "op a() {\n  xs = xs + [h]\n}\n"));
  it("prints list types and defaults", () =>
    expectFormatted("op a(xs:list[ int ]=[1,2]) {}", "op a(xs: list[int] = [1, 2]) {}\n"));
  it("keeps at most one blank line", () => expectFormatted("let A = 1\n\n\n\nlet B = 2", "let A = 1\n\nlet B = 2\n"));
});

describe("chains", () => {
  it("keeps a short chain on one line", () => expectFormatted("let x = a->b  ->  c", "let x = a -> b -> c\n"));
  it("breaks a long chain before each arrow", () =>
    expectFormatted(
      "op a() { conv(1, 64) -> bn -> relu }",
      "op a() {\n  conv(1, 64)\n    -> bn\n    -> relu\n}\n",
      20,
    ));
  it("prints fixed and as", () =>
    expectFormatted("let x = dense(10)  fixed   as  logits", "let x = dense(10) fixed as logits\n"));
  it("keeps arrows next to a block's braces", () =>
    expectFormatted("op a() { residual { bn } -> relu }", "op a() {\n  residual {\n    bn\n  } -> relu\n}\n"));
  it("prints branches with one branch per line", () =>
    expectFormatted(
      "op a() { branches { bn relu } aggregate concat -> conv(1, 8) }",
      "op a() {\n  branches {\n    bn\n    relu\n  } aggregate concat -> conv(1, 8)\n}\n",
    ));
  it("prints residual with a shortcut", () =>
    expectFormatted(
      "op a() { residual { bn } shortcut { conv(1, in) } }",
      "op a() {\n  residual {\n    bn\n  } shortcut {\n    conv(1, in)\n  }\n}\n",
    ));
});

describe("lists and calls", () => {
  it("breaks a long argument list one per line with a trailing comma", () =>
    expectFormatted("let x = conv(3, 64, stride: 2)", "let x = conv(\n  3,\n  64,\n  stride: 2,\n)\n", 16));
  it("breaks a long list one per line", () =>
    expectFormatted("let x = [100, 200, 300]", "let x = [\n  100,\n  200,\n  300,\n]\n", 16));
  it("removes a trailing comma that fits", () => expectFormatted("let x = [1, 2,]", "let x = [1, 2]\n"));
  it("breaks long parameter lists", () =>
    expectFormatted("op a(first: int, second: int) {}", "op a(\n  first: int,\n  second: int,\n) {}\n", 24));
});

describe("expressions", () => {
  it("spaces binary operators", () => expectFormatted("let x = 1+2*3//4%5", "let x = 1 + 2 * 3 // 4 % 5\n"));
  it("keeps the author's parentheses", () => expectFormatted("let x = (1 + 2) * ((3))", "let x = (1 + 2) * ((3))\n"));
  it("prints -2 ** 2 as written", () => expectFormatted("let x = -2**2", "let x = -2 ** 2\n"));
  it("separates repeated signs", () => expectFormatted("let x = - -3", "let x = - -3\n"));
  it("prints not with a space", () => expectFormatted("let x = not(a)", "let x = not (a)\n"));
  it("prints ranges without spaces", () => expectFormatted("let x = 0 .. n", "let x = 0..n\n"));
  it("prints slices", () =>
    expectFormatted("let x = [xs[1 : 2], xs[ : : 2], xs[-1]]", "let x = [xs[1:2], xs[::2], xs[-1]]\n"));
  it("prints numbers as written", () =>
    expectFormatted("let x = [1_000, 1e-3, 2.50]", "let x = [1_000, 1e-3, 2.50]\n"));
  it("re-quotes strings with escapes", () => expectFormatted('let x = "a\\qb\\"c"', 'let x = "aqb\\"c"\n'));
  it("prints in", () => expectFormatted("op a() { conv(1, in*6) }", "op a() {\n  conv(1, in * 6)\n}\n"));
});

describe("comments", () => {
  it("keeps a trailing comment", () => expectFormatted("let x = 1   # one", "let x = 1 # one\n"));
  it("keeps a leading comment", () => expectFormatted("# about x\nlet x = 1", "# about x\nlet x = 1\n"));
  it("keeps a comment in an empty body", () =>
    expectFormatted("op a() { # nothing yet\n}", "op a() { # nothing yet\n}\n"));
  it("keeps a comment in an empty list", () => expectFormatted("let x = [ /* none */ ]", "let x = [/* none */]\n"));
  it("keeps a comment-only file", () => expectFormatted("# only\n\n/* me */", "# only\n/* me */\n"));
  it("honours prettier-ignore", () =>
    expectFormatted("# prettier-ignore\nlet x = [1,2]", "# prettier-ignore\nlet x = [1,2]\n"));
});
