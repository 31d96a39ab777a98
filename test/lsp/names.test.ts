/**
 * What the server reads from a file without the compiler: names resolved
 * with the elaborator's scopes (cli/lsp/resolve.ts), doc comments, and the
 * cursor's context in text that does not parse (cli/lsp/call-context.ts).
 */
import { describe, expect, it } from "vitest";
import { parse } from "../../grammar/index.js";
import { cursorContext } from "../../cli/lsp/call-context.js";
import { docComment } from "../../cli/lsp/doc-comments.js";
import { occurrenceAt } from "../../cli/lsp/occurrences.js";
import { indexNames } from "../../cli/lsp/resolve.js";

const TEXT = [
  "# The width of everything.",
  "let W = 16",
  "",
  "/* A conv.",
  " * With a bn. */",
  "op unit(width: int = W, k: int = 3) {",
  "  let W = width * 2",
  "  conv(k, W) -> bn",
  "}",
  "",
  "space s() {",
  "  input(8, 8, 3)",
  "  for i in 0..2 {",
  "    unit(W, k: i + 1)",
  "  }",
  "}",
  "",
].join("\n");

const program = parse(TEXT, "/w/a.figs").ast!;
const names = indexNames("/w/a.figs", program, [{ path: "/w/a.figs", program }]);
const bindingAt = (needle: string, skip = 0) => {
  let offset = -1;
  for (let i = 0; i <= skip; i++) offset = TEXT.indexOf(needle, offset + 1);
  const binding = occurrenceAt(names, offset)?.binding;
  return binding
    ? `${binding.kind} ${binding.name} @${binding.range.start.line}:${binding.range.start.column}`
    : "none";
};

describe("name resolution", () => {
  it("follows the elaborator's scopes: a let shadows a constant from its statement on, parameters and loops", () => {
    expect(bindingAt("W,")).toBe("constant W @2:5");
    expect(bindingAt("W)")).toBe("let W @7:7");
    expect(bindingAt("width * 2")).toBe("parameter width @6:9");
    expect(bindingAt("k, W")).toBe("parameter k @6:25");
    expect(bindingAt("W, k:")).toBe("constant W @2:5");
    expect(bindingAt("i + 1")).toBe("loop i @13:7");
  });

  it("resolves a call to its definition and a named argument to the parameter, leaving primitives unbound", () => {
    expect(bindingAt("unit(W")).toBe("op unit @6:4");
    expect(bindingAt("k: i")).toBe("parameter k @6:25");
    expect(bindingAt("conv")).toBe("none");
    expect(bindingAt("bn")).toBe("none");
  });
});

describe("doc comments", () => {
  it("are the comments on the lines right above an item, line or block", () => {
    const [constant, unit, space] = program.items;
    expect(docComment(program, TEXT, constant!)).toBe("The width of everything.");
    expect(docComment(program, TEXT, unit!)).toBe("A conv.\nWith a bn.");
    expect(docComment(program, TEXT, space!)).toBeUndefined();
  });

  it("leave out a comment at the end of a line of code, or one separated by a blank line", () => {
    const text = "let A = 1 # about A\nlet B = 2\n# about nothing\n\nlet C = 3\n";
    const parsed = parse(text, "/w/b.figs").ast!;
    expect(parsed.items.map((item) => docComment(parsed, text, item))).toEqual([undefined, undefined, undefined]);
  });
});

describe("the cursor's context", () => {
  const context = (text: string) => cursorContext(text.replace("|", ""), text.indexOf("|"));

  it("finds the call whose argument the cursor starts, and the named arguments already given", () => {
    expect(context("space s() {\n  conv(3, stride: 2, |")).toMatchObject({
      callee: "conv",
      namedBefore: ["stride"],
      enclosing: "s",
    });
    expect(context("  conv(3, str|")).toMatchObject({ callee: "conv" });
    expect(context("  conv(max(1, |")).toMatchObject({ callee: "max" });
    expect(context("  conv(3, 1 + |")).not.toHaveProperty("callee");
    expect(context("  conv([3, |")).not.toHaveProperty("callee");
    expect(context("  conv(3) -> |")).not.toHaveProperty("callee");
  });

  it("knows a comment, a string and a parameter's type position", () => {
    expect(context("  conv(3) # a comment |").inert).toBe(true);
    expect(context('import "std|').inert).toBe(true);
    expect(context("block b(width: |")).toMatchObject({ inTypePosition: true, inert: false });
    expect(context("block b(width: int, k: i|")).toMatchObject({ inTypePosition: true });
    expect(context("block b(width: int = |").inTypePosition).toBe(false);
  });
});
