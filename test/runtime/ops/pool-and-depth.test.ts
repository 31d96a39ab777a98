/**
 * `adaptive_avgpool` against PyTorch's definition of adaptive average pooling
 * (output cell i averages input cells ⌊i·in/out⌋ … ⌈(i+1)·in/out⌉ − 1, per
 * axis), and `drop_path`: the identity at inference, and while training each
 * sample either zeroed or scaled by 1 / (1 − rate) as a whole.
 */
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { emitModel } from "../../../runtime/emit/index.js";
import { compileText, useCpu } from "../export/helpers.js";

beforeAll(useCpu);

/** PyTorch's AdaptiveAvgPool2d on one NHWC image, in plain numbers. */
function adaptiveReference(x: number[][][], outH: number, outW: number): number[][][] {
  const [inH, inW, channels] = [x.length, x[0]!.length, x[0]![0]!.length];
  const window = (i: number, from: number, to: number) => [
    Math.floor((i * from) / to),
    Math.ceil(((i + 1) * from) / to),
  ];
  return Array.from({ length: outH }, (_, i) =>
    Array.from({ length: outW }, (_, j) => {
      const [h0, h1] = window(i, inH, outH);
      const [w0, w1] = window(j, inW, outW);
      return Array.from({ length: channels }, (_, c) => {
        let sum = 0;
        for (let h = h0!; h < h1!; h++) for (let w = w0!; w < w1!; w++) sum += x[h]![w]![c]!;
        return sum / ((h1! - h0!) * (w1! - w0!));
      });
    }),
  );
}

function modelOf(step: string, height: number, width: number) {
  const text = `space s() {\n  input(${height}, ${width}, 3)\n  ${step}\n}\n`;
  const { ir, diagnostics } = compileText(text);
  expect(diagnostics).toEqual([]);
  return emitModel(ir!.nodes, ir!.output, "s");
}

describe("adaptive_avgpool", () => {
  it.each([
    [6, 4, [3, 8]],
    [8, 8, [8, 8]],
    [4, 12, [1, 3]],
    [2, 3, [6, 3]],
  ])("from %dx%d to %j matches PyTorch's definition", (height, width, size) => {
    const [outH, outW] = size as [number, number];
    const model = modelOf(`adaptive_avgpool([${outH}, ${outW}])`, height, width);
    const x = tf.randomNormal([2, height, width, 3], 0, 1, "float32", 9);
    const got = (model.predict(x) as tf.Tensor).arraySync() as number[][][][];
    const images = x.arraySync() as number[][][][];
    images.forEach((image, n) => {
      const expected = adaptiveReference(image, outH, outW);
      expect(got[n]!.length).toBe(outH);
      expected.flat(2).forEach((value, k) => expect(got[n]!.flat(2)[k]).toBeCloseTo(value, 5));
    });
  });

  it("refuses sizes that do not pool or repeat evenly, naming both sizes", () => {
    const { diagnostics } = compileText("space s() {\n  input(10, 10, 3)\n  adaptive_avgpool(7)\n}\n");
    expect(diagnostics.map((d) => d.code)).toEqual(["FIGS2015"]);
    expect(diagnostics[0]!.message).toContain("from 10x10 to 7x7");
  });
});

describe("drop_path", () => {
  const model = modelOf("drop_path(0.3)", 4, 4);
  const x = tf.randomUniform([400, 4, 4, 3], 0.5, 1.5, "float32", 4);

  it("is the identity at inference", () => {
    const y = model.predict(x) as tf.Tensor;
    expect(tf.max(tf.abs(tf.sub(y, x))).dataSync()[0]).toBe(0);
  });

  it("while training drops whole samples and scales the others by 1 / (1 − rate)", () => {
    const y = model.apply(x, { training: true }) as tf.Tensor;
    const ratio = tf.div(y, x).reshape([400, 48]).arraySync() as number[][];
    let dropped = 0;
    for (const sample of ratio) {
      const first = sample[0]!;
      for (const value of sample) expect(value).toBeCloseTo(first, 5);
      if (first === 0) dropped += 1;
      else expect(first).toBeCloseTo(1 / 0.7, 5);
    }
    // Unseeded (as in training): some of 400 samples are dropped and some kept, with certainty up to 0.7^400.
    expect(dropped).toBeGreaterThan(0);
    expect(dropped).toBeLessThan(400);
  });
});
