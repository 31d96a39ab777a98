// The one training loop (runtime/train/loop.ts) with a tiny plug-in: a dense
// layer on 2×2 images. What the loop owns is checked here once for search and
// retrain: a metrics line per step, the checkpoint cadence, a stop that saves
// and resumes to the uninterrupted run, the finite-loss check, a checkpoint
// of another kind refused, Math.random seeded for the run and put back.
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeOf } from "../../../diagnostics/codes.js";
import { error, type Diagnostic } from "../../../diagnostics/diagnostic.js";
import type { Split } from "../../../runtime/data/dataset.js";
import { fail, ok } from "../../../runtime/data/errors.js";
import {
  correctCount,
  crossEntropy,
  runTraining,
  scheduledAdam,
  type PluggedOptimizer,
  type PluginState,
  type StepPosition,
  type TrainingPlugin,
  type TrainingRequest,
} from "../../../runtime/train/index.js";
import { tempDir, useWasm } from "../search/helpers.js";

const temp = tempDir("figs-loop-");
beforeAll(() => useWasm());
afterAll(() => temp.remove());

const SPLIT: Split = {
  images: Float32Array.from({ length: 24 * 4 }, (_, i) => Math.sin(i * 0.7)),
  labels: Int32Array.from({ length: 24 }, (_, i) => i % 2),
  count: 24,
  height: 2,
  width: 2,
  channels: 1,
};

interface Values {
  readonly loss: number;
  readonly accuracy: number;
}

/** A dense layer trained with cross-entropy; `poison` makes the loss of that step (0-based) NaN. */
class TinyPlugin implements TrainingPlugin<Values> {
  readonly model: tf.LayersModel;
  readonly optimizers: readonly PluggedOptimizer[];
  readonly checkpointEpoch = "next step";
  readonly firstDraw = Math.random();
  steps = 0;

  constructor(private readonly options: { readonly poison?: number; readonly kind?: string } = {}) {
    const input = tf.input({ shape: [2, 2, 1] });
    const output = tf.layers.dense({ units: 2 }).apply(tf.layers.flatten().apply(input)) as tf.SymbolicTensor;
    this.model = tf.model({ inputs: input, outputs: output });
    this.optimizers = [{ prefix: "", optimizer: scheduledAdam(0.01), learningRate: 0.01 }];
  }

  readonly state: PluginState = {
    save: () => ({ kind: this.options.kind ?? "tiny" }),
    read: (metadata, dir) =>
      typeof metadata === "object" && metadata !== null && "kind" in metadata && metadata.kind === "tiny"
        ? ok(() => undefined)
        : fail("corruptCheckpoint", dir, `${dir} is not the checkpoint of a tiny run`),
  };

  async step(images: tf.Tensor4D, labels: tf.Tensor1D): Promise<Values> {
    const variables = this.model.trainableWeights.map((w) => w.read() as tf.Variable);
    let correct: tf.Scalar | undefined;
    const { value, grads } = tf.variableGrads(() => {
      const logits = this.model.apply(images) as tf.Tensor;
      correct = tf.keep(correctCount(logits, labels));
      return crossEntropy(logits, labels, 2);
    }, variables);
    const loss = this.steps++ === this.options.poison ? Number.NaN : ((await value.data())[0] as number);
    const hits = (await correct!.data())[0] as number;
    if (Number.isFinite(loss))
      this.optimizers[0]!.optimizer.applyGradients(variables.map((v) => ({ name: v.name, tensor: grads[v.name]! })));
    tf.dispose([value, correct!, ...Object.values(grads)]);
    return { loss, accuracy: hits / images.shape[0] };
  }

  metrics(values: Values, at: StepPosition): Record<string, number> {
    return { step: at.step, epoch: at.epoch, loss: values.loss, learningRate: at.learningRate };
  }

  tooFewImages(images: number, batchSize: number): Diagnostic {
    return diagnostic("InvalidValue", `${images} images, fewer than a batch of ${batchSize}`);
  }

  diverged(values: Values, step: number): Diagnostic {
    return diagnostic("TrainingDiverged", `the loss became ${values.loss} at step ${step + 1}`);
  }

  dispose(): void {
    this.optimizers[0]!.optimizer.dispose();
    this.model.dispose();
  }
}

function diagnostic(kind: "InvalidValue" | "TrainingDiverged", message: string): Diagnostic {
  const start = { offset: 0, line: 1, column: 1 };
  return error(codeOf(kind), message, { file: "tiny", start, end: start });
}

function request(name: string, overrides: Partial<TrainingRequest<Values>> = {}): TrainingRequest<Values> {
  const dir = join(temp.dir, name);
  if (!existsSync(dir)) mkdirSync(dir);
  return {
    train: SPLIT,
    steps: 7,
    batchSize: 4,
    seed: 11,
    checkpointEvery: 3,
    augment: { cropPadding: 0, flip: false },
    dir,
    resume: false,
    ...overrides,
  };
}

type Run = Awaited<ReturnType<typeof train>>;

function train(training: TrainingRequest<Values>, options: ConstructorParameters<typeof TinyPlugin>[0] = {}) {
  return runTraining(
    training,
    () => new TinyPlugin(options),
    async (plugin, outcome) => ({
      ...outcome,
      firstDraw: plugin.firstDraw,
      weights: plugin.model.getWeights().flatMap((w) => Array.from(w.dataSync())),
    }),
  );
}

function metricSteps(dir: string): number[] {
  return readFileSync(join(dir, "metrics.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((line) => (JSON.parse(line) as { step: number }).step);
}

function checkpointStep(dir: string): number {
  return (JSON.parse(readFileSync(join(dir, "checkpoint", "checkpoint.json"), "utf8")) as { step: number }).step;
}

describe("the training loop", () => {
  let whole: Run;

  it("logs every step, checkpoints at its cadence and at the end", async () => {
    const saved: number[] = [];
    const progress: number[] = [];
    const training = request("whole", { onCheckpoint: (s) => saved.push(s), onStep: (p) => progress.push(p.step) });
    whole = await train(training);
    expect(whole.status).toBe("finished");
    expect(whole.steps).toBe(7);
    expect(saved).toEqual([3, 6, 7]);
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(metricSteps(training.dir)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(checkpointStep(training.dir)).toBe(7);
  });

  it("saves and stops when asked, and resumes to the uninterrupted run", async () => {
    let steps = 0;
    const stop = {
      get requested() {
        return steps >= 4;
      },
    };
    const training = request("stopped", { stop, onStep: () => void (steps += 1) });
    const stopped = await train(training);
    expect(stopped.status).toBe("stopped");
    expect(stopped.steps).toBe(4);
    expect(checkpointStep(training.dir)).toBe(4);
    const resumed = await train({ ...request("stopped"), resume: true });
    expect(resumed.status).toBe("finished");
    expect(metricSteps(training.dir)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(readFileSync(join(training.dir, "metrics.jsonl"), "utf8")).toBe(
      readFileSync(join(temp.dir, "whole", "metrics.jsonl"), "utf8"),
    );
    expect(resumed.weights).toEqual(whole.weights);
  });

  it("stops at a loss that is not finite, without logging or saving that step", async () => {
    const training = request("diverged");
    const outcome = await train(training, { poison: 4 });
    expect(outcome.status).toBe("failed");
    expect(outcome.steps).toBe(4);
    expect(outcome.diagnostics.map((d) => d.message)).toEqual(["the loss became NaN at step 5"]);
    expect(metricSteps(training.dir)).toEqual([0, 1, 2, 3]);
    expect(checkpointStep(training.dir)).toBe(3);
  });

  it("refuses a checkpoint its plug-in does not recognise, and a split smaller than a batch", async () => {
    const other = request("other-kind");
    expect((await train(other, { kind: "other" })).status).toBe("finished");
    const resumed = await train({ ...other, resume: true });
    expect(resumed.status).toBe("failed");
    expect(resumed.diagnostics[0]?.message).toContain("is not the checkpoint of a tiny run");
    const small = await train(request("small", { batchSize: 64 }));
    expect(small.status).toBe("failed");
    expect(small.diagnostics[0]?.message).toBe("24 images, fewer than a batch of 64");
  });

  it("draws Math.random from the run's seed while it runs, and puts it back", async () => {
    const original = Math.random;
    const again = await train(request("seeded-again"));
    expect(again.firstDraw).toBe(whole.firstDraw);
    const other = await train(request("seeded-other", { seed: 12 }));
    expect(other.firstDraw).not.toBe(whole.firstDraw);
    expect(Math.random).toBe(original);
    expect(again.weights).toEqual(whole.weights);
  });
});
