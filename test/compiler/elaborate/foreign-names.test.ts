/**
 * Names users bring from PyTorch, Keras and papers (issue 13): aliases that
 * are figs names (`silu`), and hints for the rest (`hard_swish`, `BatchNorm2d`).
 */
import { describe, expect, it } from "vitest";
import { compile } from "../../../compiler/index.js";

function firstMessage(step: string): string {
  const text = `space s() {\n  input(8, 8, 3)\n  conv(3, 8) -> ${step}\n  global_avgpool -> dense(4) fixed\n}\n`;
  const { diagnostics } = compile({ path: "names.figs", text });
  return diagnostics.map((d) => `${d.code} ${d.message}`).join("\n");
}

describe("names from other frameworks", () => {
  it.each([
    ["hard_swish", "hardswish"],
    ["Hardswish", "hardswish"],
    ["hswish", "hardswish"],
    ["h_sigmoid", "hardsigmoid"],
    ["hard_sigmoid", "hardsigmoid"],
    ["ReLU", "relu"],
    ["ReLU6", "relu6"],
    ["SiLU", "silu"],
    ["GELU", "gelu"],
    ["BatchNorm2d", "bn"],
    ["Conv2d(1, 8)", "conv"],
    ["Linear(4)", "dense"],
    ["cat", "concat"],
  ])("%s is answered with figs's name %s", (step, figs) => {
    const name = step.replace(/\(.*$/, "");
    expect(firstMessage(step)).toBe(`FIGS2001 unknown name '${name}'; figs calls it '${figs}'`);
  });

  it("keeps 'did you mean' for typos", () => {
    expect(firstMessage("rleu")).toBe("FIGS2001 unknown name 'rleu'; did you mean 'relu'?");
  });

  it("accepts silu as swish, and gelu", () => {
    const text = (act: string) => `space s() {\n  input(8, 8, 3)\n  conv(3, 8) -> ${act}\n  global_avgpool\n}\n`;
    const silu = compile({ path: "a.figs", text: text("silu") });
    const swish = compile({ path: "b.figs", text: text("swish") });
    expect(silu.diagnostics).toEqual([]);
    expect(silu.ir!.nodes.map((n) => n.op)).toEqual(swish.ir!.nodes.map((n) => n.op));
    expect(silu.ir!.nodes.map((n) => n.op)).toContain("swish");
    const gelu = compile({ path: "c.figs", text: text("gelu") });
    expect(gelu.diagnostics).toEqual([]);
    expect(gelu.ir!.nodes.map((n) => n.op)).toContain("gelu");
  });
});
