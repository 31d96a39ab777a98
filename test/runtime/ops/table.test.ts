/**
 * The runtime's op table (runtime/ops/): an entry for every OpKind, whose
 * layer has weights exactly when the op's spec says so, and whose weight
 * transfer keeps a full layer's weights as they are.
 */
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { OP_KINDS, type OpKind } from "../../../compiler/graph.js";
import { attributesOf, isMerge, isSource, specOf } from "../../../compiler/ops/index.js";
import { figsCall } from "../../../compiler/ops/print.js";
import { emitModel } from "../../../runtime/emit/index.js";
import { RUNTIME_OPS, layerName, type EmitNode } from "../../../runtime/ops/index.js";
import { compileText, useCpu } from "../export/helpers.js";

beforeAll(useCpu);

/**
 * The IR nodes of a space that applies `op` (with its kinds' sample attributes) to a 1×1 or 8×8 input;
 * a dilation stays at its default, which the sample stride needs (FIGS3008).
 */
function nodesApplying(op: OpKind): { nodes: EmitNode[]; output: number } {
  const sample = ([key, attr]: [string, { type: { sample: unknown }; default?: unknown }]) =>
    key === "dilation" ? attr.default : attr.type.sample;
  const attrs = Object.fromEntries(attributesOf(op).map((entry) => [entry[0], sample(entry)]));
  const image = `space s() {\n  input(8, 8, 4)\n  let x = conv(1, 4)\n  ${applied(op, attrs)}\n}\n`;
  const flat = `space s() {\n  input(8, 8, 4)\n  let x = global_avgpool\n  ${applied(op, attrs)}\n}\n`;
  const result = [image, flat].map((text) => compileText(text)).find((r) => r.ir !== undefined);
  const ir = result!.ir!;
  return { nodes: [...ir.nodes], output: ir.output };
}

/** The step that makes the op from `x`: the input itself, a merge of x with x, or the op's printed call on x. */
function applied(op: OpKind, attrs: Record<string, unknown>): string {
  if (isSource(op)) return "x";
  if (isMerge(op)) return `${op}([x, x])`;
  return `x -> ${figsCall({ op, attrs: attrs as never })}`;
}

describe("the runtime op table", () => {
  it("has an entry for every OpKind, and no other", () => {
    expect(Object.keys(RUNTIME_OPS).sort()).toEqual([...OP_KINDS].sort());
  });

  for (const op of OP_KINDS) {
    it(`${op}: a layer with weights exactly when its spec has some, a full layer's transferred as they are`, () => {
      const { nodes, output } = nodesApplying(op);
      const node = nodes.find((n) => n.op === op)!;
      const model = emitModel(nodes, output, `one_${op}`);
      const layer = model.layers.find((l) => l.name === layerName(node));
      const weights = layer?.getWeights() ?? [];
      expect(weights.length > 0, op).toBe(specOf(op).weights !== undefined);
      const inputChannels = nodes[node.inputs[0] ?? -1]?.shape.channels ?? 0;
      const all = (n: number) => Array.from({ length: n }, (_, i) => i);
      const cut = tf.tidy(() =>
        (RUNTIME_OPS[op].transfer as (...a: unknown[]) => tf.Tensor[] | undefined)(
          node,
          weights,
          all(inputChannels),
          all(node.shape.channels),
        ),
      );
      const cuttable = specOf(op).weights?.cuttable?.(node.attrs) ?? true;
      expect(cut !== undefined, op).toBe(weights.length > 0 && cuttable);
      for (const [i, tensor] of (cut ?? []).entries()) {
        expect(tensor.shape).toEqual(weights[i]!.shape);
        expect(Array.from(tensor.dataSync())).toEqual(Array.from(weights[i]!.dataSync()));
      }
      tf.dispose([...(cut ?? [])]);
      model.dispose();
    });
  }
});
