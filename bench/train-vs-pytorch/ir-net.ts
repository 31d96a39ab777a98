// A compiled space in tfjs for the training bench: the IR emitted as the plain
// full-width architecture (runtime/emit `emitModel`, no masks), trained the
// way N1 is (one fixed random batch, Adam, softmax cross-entropy, batch
// statistics in both the step and the forward pass).
import * as tf from "@tensorflow/tfjs";
import { type Ir, readIr } from "../../compiler/index.js";
import { emitModel } from "../../runtime/emit/index.js";
import { figsAdam } from "../../runtime/kernels/adam.js";
import { DEFAULT_SEARCH, SupernetTrainer } from "../../runtime/search/index.js";
import type { Trainer } from "./n1.js";

export interface IrNet {
  readonly model: tf.LayersModel;
  readonly ir: Ir;
}

/** Reads an IR JSON file and emits its plain model; a bad file comes back as the first diagnostic's message. */
export function loadIrNet(file: string): IrNet | { readonly problem: string } {
  const read = readIr(file);
  if (read.ir === undefined) return { problem: read.diagnostics[0]?.message ?? `cannot read ${file}` };
  return { model: emitModel(read.ir.nodes, read.ir.output, read.ir.space), ir: read.ir };
}

export function trainableParameterCount(model: tf.LayersModel): number {
  return model.trainableWeights.reduce((sum, w) => sum + w.read().size, 0);
}

export function inputShape(ir: Ir): [number, number, number] {
  const input = ir.nodes.find((n) => n.op === "input");
  if (input === undefined || input.op !== "input") return [32, 32, 3];
  return [input.attrs.height, input.attrs.width, input.attrs.channels];
}

export function makeIrTrainer(net: IrNet, batch: number): Trainer {
  const classes = net.ir.nodes[net.ir.output]?.shape.channels ?? 10;
  const images = tf.randomNormal([batch, ...inputShape(net.ir)]) as tf.Tensor4D;
  const labels = tf
    .oneHot(tf.randomUniform([batch], 0, classes, "int32") as tf.Tensor1D, classes)
    .toFloat() as tf.Tensor2D;
  const opt = figsAdam(1e-3);
  const vars = net.model.trainableWeights.map((w) => w.read() as tf.Variable);
  const logits = (): tf.Tensor => net.model.apply(images, { training: true }) as tf.Tensor;
  return {
    step: () => {
      const l = opt.minimize(() => tf.losses.softmaxCrossEntropy(labels, logits()) as tf.Scalar, true, vars);
      const value = l === null ? NaN : l.dataSync()[0]!;
      l?.dispose();
      return value;
    },
    forward: () => {
      const out = tf.tidy(logits);
      out.dataSync();
      out.dispose();
    },
    dispose: () => {
      images.dispose();
      labels.dispose();
      opt.dispose();
    },
  };
}

/** A search step: the masked supernet of the same IR, its step (masks drawn, loss + λ·E[cost], two Adams). */
export interface SearchBench {
  readonly step: () => Promise<unknown>;
  readonly forward: () => void;
  readonly params: number;
}

export function makeSearchTrainer(ir: Ir, batch: number): SearchBench {
  const classes = ir.nodes[ir.output]?.shape.channels ?? 10;
  const trainer = new SupernetTrainer(ir, { ...DEFAULT_SEARCH, batchSize: batch });
  const images = tf.randomNormal([batch, ...inputShape(ir)]) as tf.Tensor4D;
  const labels = tf.randomUniform([batch], 0, classes, "int32") as tf.Tensor1D;
  const archVariables = new Set(trainer.supernet.masks.trainableWeights.map((w) => w.read()));
  const weights = trainer.model.trainableWeights.filter((w) => !archVariables.has(w.read()));
  return {
    step: () => trainer.step(images, labels, 1e-4),
    forward: () => {
      const out = tf.tidy(() => trainer.model.apply(images, { training: true }) as tf.Tensor);
      out.dataSync();
      out.dispose();
    },
    params: weights.reduce((sum, w) => sum + w.read().size, 0),
  };
}
