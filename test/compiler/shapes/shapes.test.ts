import { describe, expect, it } from "vitest";
import { OP_KINDS, type Shape } from "../../../compiler/graph.js";
import { formatShape, outputShape, SHAPE_RULES, windowSize, type ShapeInput } from "../../../compiler/shapes/index.js";
import { SourceFile } from "../../../diagnostics/source.js";

const source = new SourceFile("shapes.figs", "conv(3, 8)\nrelu\n");
const at = source.rangeAt(0, 10);
const input = (height: number, width: number, channels: number, role = "its input"): ShapeInput => ({
  shape: { height, width, channels },
  range: source.rangeAt(11, 15),
  role,
});
const shapeOf = (result: ReturnType<typeof outputShape>): Shape | string =>
  "shape" in result ? result.shape : result.diagnostic.message;

describe("shape rules", () => {
  it("cover every op kind", () => {
    expect(Object.keys(SHAPE_RULES).sort()).toEqual([...OP_KINDS].sort());
  });

  it("same padding is ceil(size / stride), valid is floor((size - k) / stride) + 1", () => {
    expect(windowSize(224, 7, 2, "same")).toBe(112);
    expect(windowSize(7, 3, 2, "same")).toBe(4);
    expect(windowSize(7, 3, 2, "valid")).toBe(3);
    expect(windowSize(2, 3, 1, "valid")).toBe(0);
  });

  it("conv uses its width, kernels and strides per axis", () => {
    const attrs = {
      kernel: [3, 1] as const,
      stride: [2, 1] as const,
      padding: "valid" as const,
      width: 16,
      groups: 1,
      bias: false,
      dilation: [1, 1] as const,
    };
    expect(shapeOf(outputShape("conv", attrs, [input(9, 9, 3)], at))).toEqual({ height: 4, width: 9, channels: 16 });
  });

  it("dwconv multiplies the channels", () => {
    const attrs = {
      kernel: [3, 3] as const,
      stride: [1, 1] as const,
      padding: "same" as const,
      multiplier: 3,
      bias: false,
      dilation: [1, 1] as const,
    };
    expect(shapeOf(outputShape("dwconv", attrs, [input(5, 5, 4)], at))).toEqual({ height: 5, width: 5, channels: 12 });
  });

  it("pools keep channels; global pool, flatten and dense give 1x1", () => {
    const pool = { kernel: [3, 3] as const, stride: [2, 2] as const, padding: "same" as const };
    expect(shapeOf(outputShape("maxpool", pool, [input(112, 112, 64)], at))).toEqual({
      height: 56,
      width: 56,
      channels: 64,
    });
    expect(shapeOf(outputShape("global_avgpool", {}, [input(7, 7, 2048)], at))).toEqual({
      height: 1,
      width: 1,
      channels: 2048,
    });
    expect(shapeOf(outputShape("flatten", {}, [input(7, 7, 2)], at))).toEqual({ height: 1, width: 1, channels: 98 });
    expect(shapeOf(outputShape("dense", { width: 10, bias: true }, [input(1, 1, 98)], at))).toEqual({
      height: 1,
      width: 1,
      channels: 10,
    });
  });

  it("concat adds channels of equal-size inputs; add needs identical shapes", () => {
    expect(shapeOf(outputShape("concat", {}, [input(4, 4, 3), input(4, 4, 5)], at))).toEqual({
      height: 4,
      width: 4,
      channels: 8,
    });
    expect(shapeOf(outputShape("add", {}, [input(4, 4, 3), input(4, 4, 3)], at))).toEqual({
      height: 4,
      width: 4,
      channels: 3,
    });
  });

  it("a width mismatch at add names both widths and points at both sources", () => {
    const result = outputShape(
      "add",
      {},
      [input(4, 4, 16, "the shortcut"), input(4, 4, 32, "the residual branch")],
      at,
    );
    expect("diagnostic" in result && result.diagnostic).toMatchObject({
      code: "FIGS3001",
      message: "cannot add the shortcut (16 channels) and the residual branch (32 channels): widths must be equal",
      range: at,
      notes: [
        { message: "the shortcut (4x4x16) comes from here" },
        { message: "the residual branch (4x4x32) comes from here" },
      ],
    });
  });

  it("reports a zero spatial size at the op, and spatial mismatches at concat", () => {
    const pool = { kernel: [3, 3] as const, stride: [1, 1] as const, padding: "valid" as const };
    expect(shapeOf(outputShape("avgpool", pool, [input(2, 8, 1)], at))).toMatch(
      /^this avgpool makes the height 0, which is not positive/,
    );
    expect(shapeOf(outputShape("concat", {}, [input(4, 4, 3), input(2, 2, 3, "branch 2")], at))).toMatch(
      /^cannot concat its input \(4x4\) and branch 2 \(2x2\)/,
    );
  });

  it("checks grouped convs and dense inputs", () => {
    const grouped = {
      kernel: [1, 1] as const,
      stride: [1, 1] as const,
      padding: "same" as const,
      width: 8,
      groups: 3,
      bias: false,
      dilation: [1, 1] as const,
    };
    expect(outputShape("conv", grouped, [input(4, 4, 6)], at)).toHaveProperty("diagnostic.code", "FIGS3004");
    expect(outputShape("dense", { width: 10, bias: true }, [input(2, 2, 8)], at)).toHaveProperty(
      "diagnostic.code",
      "FIGS3005",
    );
  });

  it("formats shapes as HxWxC", () => {
    expect(formatShape({ height: 7, width: 5, channels: 3 })).toBe("7x5x3");
  });
});
