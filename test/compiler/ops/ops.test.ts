/**
 * The op specs (compiler/ops/): every OpKind has one, every attribute has a
 * schema and printers that work on a sample value, and every op applied by
 * name round-trips through its printer: print → parse → elaborate gives the
 * same attributes.
 */
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { OP_KINDS, type OpAttrs, type OpKind } from "../../../compiler/graph.js";
import { attributesOf, isCallable, OP_SPECS, specOf } from "../../../compiler/ops/index.js";
import { dumpAttributes, figsCall } from "../../../compiler/ops/print.js";
import { PRIMITIVES } from "../../../compiler/elaborate/primitives.js";
import { serializeIr, parseIr } from "../../../compiler/ir/io.js";
import { SourceFile } from "../../../diagnostics/source.js";
import { compileText } from "../../runtime/export/helpers.js";

const IMAGE = { height: 16, width: 16, channels: 4 };

/**
 * The op's attributes with every value its kind's sample (`defaults`: optional ones at their defaults).
 * A dilation stays at its default: with the sample stride it would be a conv tfjs refuses (FIGS3008).
 */
function sampleAttrs<K extends OpKind>(op: K, defaults = false): OpAttrs[K] {
  const entries = attributesOf(op).map(([key, attr]) => [
    key,
    (defaults || key === "dilation") && attr.default !== undefined ? attr.default : attr.type.sample,
  ]);
  return Object.fromEntries(entries) as OpAttrs[K];
}

/** Whether the op takes the 16×16 image as it is, or needs it pooled to 1×1 first (dense). */
function takesImage(op: OpKind, attrs: OpAttrs[OpKind]): boolean {
  const at = new SourceFile("x.figs", "").rangeAt(0, 0);
  const shape = (specOf(op).shape as (a: unknown, i: unknown, r: unknown) => object)(
    attrs,
    [{ shape: IMAGE, range: at, role: "its input" }],
    at,
  );
  return "shape" in shape;
}

/** A space applying the printed call to the image; the op is its last node. */
function spaceApplying(op: OpKind, call: string): string {
  const pooled = takesImage(op, sampleAttrs(op)) ? "" : "global_avgpool -> ";
  return `space roundtrip() {\n  input(${IMAGE.height}, ${IMAGE.width}, ${IMAGE.channels})\n  ${pooled}${call}\n}\n`;
}

/** A gate every path passes is worth a warning (FIGS2032), and these small spaces have only one path. */
function messages(diagnostics: readonly { code: string; message: string }[]): string[] {
  return diagnostics.filter((d) => d.code !== "FIGS2032").map((d) => d.message);
}

function elaboratedAttrs(op: OpKind, text: string): unknown {
  const result = compileText(text);
  expect(messages(result.diagnostics)).toEqual([]);
  const node = result.ir!.nodes.at(-1)!;
  expect(node.op).toBe(op);
  return node.attrs;
}

describe("the op table", () => {
  it("has a spec for every OpKind, and no other", () => {
    expect(Object.keys(OP_SPECS).sort()).toEqual([...OP_KINDS].sort());
  });

  it("gives every op applied by name a signature naming each attribute once", () => {
    for (const op of OP_KINDS) {
      const spec = specOf(op);
      if (spec.call === "builtin") continue;
      expect([...spec.call.params].sort(), op).toEqual(
        attributesOf(op)
          .map(([key]) => key)
          .sort(),
      );
    }
  });

  it("lists as primitives the ops applied by name and their aliases; input, concat, add, mul are built-ins", () => {
    expect(Object.keys(PRIMITIVES).sort()).toEqual([...OP_KINDS.filter(isCallable), "silu"].sort());
    expect(PRIMITIVES["silu"]!.op).toBe("swish");
    expect(OP_KINDS.filter((op) => !isCallable(op)).sort()).toEqual(["add", "concat", "input", "mul"]);
  });

  it("gives every attribute a JSON schema its sample and its default satisfy, and printers", () => {
    const ajv = new Ajv({ strict: true });
    for (const op of OP_KINDS) {
      for (const [key, attr] of attributesOf(op)) {
        const where = `${op}.${key}`;
        const valid = ajv.compile(attr.type.schema);
        expect(valid(attr.type.sample), where).toBe(true);
        if (attr.default !== undefined) expect(valid(attr.default), where).toBe(true);
        expect(attr.type.literal(attr.type.sample), where).toMatch(/\S/);
        expect(attr.type.short(attr.type.sample), where).toMatch(/\S/);
      }
    }
  });

  it("has an attribute spec for every attribute the elaborator gives a node, in the same order", () => {
    const text = `space all() {\n  input(8, 8, 4)\n  let a = relu\n  concat([a, a]) -> conv(3, 8)\n}\n`;
    const ir = compileText(text).ir!;
    for (const node of ir.nodes)
      expect(Object.keys(node.attrs), node.op).toEqual(attributesOf(node.op).map(([k]) => k));
  });
});

describe("every op applied by name round-trips through its printer", () => {
  for (const op of OP_KINDS.filter(isCallable)) {
    it(op, () => {
      for (const defaults of [false, true]) {
        const attrs = sampleAttrs(op, defaults);
        const call = figsCall({ op, attrs });
        expect(elaboratedAttrs(op, spaceApplying(op, call)), call).toEqual(attrs);
      }
    });
  }

  it("prints the .figs calls of the exported architecture", () => {
    expect(figsCall({ op: "conv", attrs: sampleAttrs("conv") })).toBe(
      'conv([3, 2], 2, stride: [3, 2], padding: "valid", groups: 2, bias: true, dilation: [1, 1])',
    );
    expect(figsCall({ op: "dense", attrs: sampleAttrs("dense", true) })).toBe("dense(2, bias: true)");
    expect(figsCall({ op: "input", attrs: { height: 32, width: 28, channels: 3 } })).toBe("input(32, 28, 3)");
    expect(figsCall({ op: "hardswish", attrs: {} })).toBe("hardswish");
  });

  it("dumps attributes under their .figs names, leaving out those at their defaults", () => {
    expect(dumpAttributes({ op: "conv", attrs: sampleAttrs("conv") })).toBe(
      "k: 3x2, stride: 3x2, padding: valid, width: 2, groups: 2, bias: true",
    );
    expect(dumpAttributes({ op: "conv", attrs: sampleAttrs("conv", true) })).toBe("k: 3x2, width: 2");
    expect(dumpAttributes({ op: "dense", attrs: { width: 10, bias: false } })).toBe("width: 10, bias: false");
  });
});

describe("a space with every op", () => {
  it("compiles to an IR that passes the schema both ways", () => {
    // Split and shuffle on the conv's channels: after the chain's flatten, their parts would cut repeated channels.
    const onChannels = ["channel_shuffle", "split"];
    const onImages = OP_KINDS.filter(
      (op) => isCallable(op) && takesImage(op, sampleAttrs(op, true)) && !onChannels.includes(op),
    );
    const text = [
      "space every() {",
      "  input(16, 16, 4)",
      "  let x = conv(1, 4)",
      "  let y = x -> channel_shuffle(2) -> split(2, 2)",
      "  concat([x, add([x, x]), mul([x, (x -> global_avgpool)]), y])",
      ...onImages.map((op) => `  ${figsCall({ op, attrs: sampleAttrs(op, true) })}`),
      // The sample size (3x2) does not divide the 16x16 image: halve one axis and double the other.
      "  adaptive_avgpool([8, 32])",
      "  global_avgpool -> dense(2)",
      "}",
    ].join("\n");
    const result = compileText(text);
    expect(messages(result.diagnostics)).toEqual([]);
    const ops = new Set(result.ir!.nodes.map((n) => n.op));
    expect(OP_KINDS.filter((op) => !ops.has(op))).toEqual([]);
    const written = serializeIr(result.ir!);
    expect(written.diagnostics).toEqual([]);
    expect(parseIr(written.text!, "every.ir.json").diagnostics).toEqual([]);
  });
});

describe("hardsigmoid and hardswish", () => {
  it("pass channels through and cost nothing: a space costs what it costs with relu instead", () => {
    const space = (act: string) =>
      `space s() {\n  input(8, 8, 3)\n  conv(3, 16) -> bn -> ${act}\n  global_avgpool -> dense(4) -> ${act}\n}\n`;
    const relu = compileText(space("relu")).ir!;
    for (const act of ["hardsigmoid", "hardswish"] as const) {
      expect(specOf(act).channels).toEqual({ kind: "passes" });
      expect(specOf(act).cost).toBeUndefined();
      expect(specOf(act).weights).toBeUndefined();
      const ir = compileText(space(act)).ir!;
      expect(ir.costs).toEqual(relu.costs);
      expect(ir.groups).toEqual(relu.groups);
      expect(ir.nodes.map((n) => n.layout)).toEqual(relu.nodes.map((n) => n.layout));
    }
  });
});
