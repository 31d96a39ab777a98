// N1: the MobileNet-style reference network of the training benchmark,
// written with raw tfjs ops (the PyTorch twin is bench/pytorch/n1.py).
// stem conv3x3/2→32; six inverted-residual blocks (1x1 expand to 96, 3x3
// depthwise, stride 2 in blocks 2 and 4, 1x1 project to 32,32,64,64,64,64);
// conv → BN → ReLU (not after the projection) → per-channel sigmoid gate;
// residual add where shapes match; global average pool; dense 10.
import * as tf from "@tensorflow/tfjs";
import { figsAdam } from "../../runtime/kernels/adam.js";
import { batchNormTrain } from "../../runtime/kernels/batchnorm_op.js";

export const N1_PARAMS = 69_578;
const EXPAND = 96;
const PROJECT = [32, 32, 64, 64, 64, 64];
const STRIDE = [1, 2, 1, 2, 1, 1];

interface Unit {
  w: tf.Variable;
  gamma: tf.Variable;
  beta: tf.Variable;
  nu: tf.Variable;
  depthwise: boolean;
  stride: number;
  relu: boolean;
}

interface Block {
  units: Unit[];
  residual: boolean;
}

export interface N1 {
  stem: Unit;
  blocks: Block[];
  dense: tf.Variable;
  bias: tf.Variable;
}

let seedCounter = 0;
let baseSeed: number | undefined;

function heNormal(shape: number[], fanIn: number): tf.Variable {
  const seed = baseSeed === undefined ? undefined : baseSeed + seedCounter++;
  return tf.variable(tf.randomNormal(shape, 0, Math.sqrt(2 / fanIn), "float32", seed));
}

function unit(k: number, cin: number, cout: number, depthwise: boolean, stride: number, relu: boolean): Unit {
  const shape = depthwise ? [k, k, cin, 1] : [k, k, cin, cout];
  return {
    w: heNormal(shape, depthwise ? k * k : k * k * cin),
    gamma: tf.variable(tf.ones([cout])),
    beta: tf.variable(tf.zeros([cout])),
    nu: tf.variable(tf.fill([cout], 2.5)),
    depthwise,
    stride,
    relu,
  };
}

/** Builds N1; a seed makes the initial weights reproducible on any backend. */
export function buildN1(seed?: number): N1 {
  baseSeed = seed;
  seedCounter = 0;
  const stem = unit(3, 3, 32, false, 2, true);
  const blocks: Block[] = [];
  let cin = 32;
  for (let i = 0; i < PROJECT.length; i++) {
    const cout = PROJECT[i]!;
    const stride = STRIDE[i]!;
    blocks.push({
      units: [
        unit(1, cin, EXPAND, false, 1, true),
        unit(3, EXPAND, EXPAND, true, stride, true),
        unit(1, EXPAND, cout, false, 1, false),
      ],
      residual: stride === 1 && cin === cout,
    });
    cin = cout;
  }
  return { stem, blocks, dense: heNormal([cin, 10], cin), bias: tf.variable(tf.zeros([10])) };
}

/** Multiply-adds of one 32×32 image's forward pass (convolutions and the dense layer), from N1's shapes. */
export function n1Madds(imageSize = 32): number {
  let side = Math.ceil(imageSize / 2);
  let madds = side * side * 9 * 3 * 32;
  let cin = 32;
  for (let i = 0; i < PROJECT.length; i++) {
    const inner = side * side;
    side = Math.ceil(side / STRIDE[i]!);
    const outer = side * side;
    madds += inner * cin * EXPAND + outer * 9 * EXPAND + outer * EXPAND * PROJECT[i]!;
    cin = PROJECT[i]!;
  }
  return madds + cin * 10;
}

export function trainableVariables(n: N1): tf.Variable[] {
  const units = [n.stem, ...n.blocks.flatMap((b) => b.units)];
  return [...units.flatMap((u) => [u.w, u.gamma, u.beta, u.nu]), n.dense, n.bias];
}

export function parameterCount(n: N1): number {
  return trainableVariables(n).reduce((s, v) => s + v.size, 0);
}

function applyUnit(u: Unit, x: tf.Tensor4D): tf.Tensor4D {
  const conv = u.depthwise
    ? tf.depthwiseConv2d(x, u.w as tf.Variable<tf.Rank.R4>, u.stride, "same")
    : tf.conv2d(x, u.w as tf.Variable<tf.Rank.R4>, u.stride, "same");
  // BN → ReLU → gate, fused into one kernel on wasm (composite elsewhere).
  const gate = tf.sigmoid(u.nu) as tf.Tensor1D;
  return batchNormTrain(conv, u.gamma as tf.Variable<tf.Rank.R1>, u.beta as tf.Variable<tf.Rank.R1>, gate, {
    eps: 1e-5,
    relu: u.relu,
  });
}

export function logits(n: N1, images: tf.Tensor4D): tf.Tensor2D {
  let h = applyUnit(n.stem, images);
  for (const block of n.blocks) {
    let y = h;
    for (const u of block.units) y = applyUnit(u, y);
    h = block.residual ? tf.add(h, y) : y;
  }
  const pooled = tf.mean(h, [1, 2]) as tf.Tensor2D;
  return tf.add(tf.matMul(pooled, n.dense as tf.Variable<tf.Rank.R2>), n.bias);
}

export function loss(n: N1, images: tf.Tensor4D, oneHot: tf.Tensor2D): tf.Scalar {
  return tf.losses.softmaxCrossEntropy(oneHot, logits(n, images)) as tf.Scalar;
}

export interface Trainer {
  step(): number;
  forward(): void;
  dispose(): void;
}

/**
 * Adam training on one fixed random batch (the data loader is not measured).
 * N1 is fully convolutional, so tests may train on smaller images.
 */
export function makeTrainer(n: N1, batch: number, imageSize = 32): Trainer {
  const images = tf.randomNormal([batch, imageSize, imageSize, 3]) as tf.Tensor4D;
  const labels = tf.oneHot(tf.randomUniform([batch], 0, 10, "int32") as tf.Tensor1D, 10).toFloat() as tf.Tensor2D;
  // tf.train.adam's drop-in: one fused update kernel per variable on wasm.
  const opt = figsAdam(1e-3);
  const vars = trainableVariables(n);
  return {
    step: () => {
      const l = opt.minimize(() => loss(n, images, labels), true, vars);
      const value = l === null ? NaN : l.dataSync()[0]!;
      l?.dispose();
      return value;
    },
    forward: () => {
      const out = tf.tidy(() => logits(n, images));
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
