/**
 * The classification loss and accuracy every training loop here uses, and an
 * evaluation pass in inference mode (batch norm on its moving statistics,
 * dropout off, supernet masks 1[ν > 0]).
 */
import * as tf from "@tensorflow/tfjs";
import { tensorBatches } from "../data/batches.js";
import type { Split } from "../data/dataset.js";

/** Mean softmax cross-entropy of logits against integer labels. */
export function crossEntropy(logits: tf.Tensor, labels: tf.Tensor1D, classes: number): tf.Scalar {
  return tf.tidy(() => tf.losses.softmaxCrossEntropy<tf.Tensor, tf.Scalar>(tf.oneHot(labels, classes), logits));
}

/** How many predictions (argmax of the logits) equal the labels. */
export function correctCount(logits: tf.Tensor, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() =>
    tf.sum<tf.Scalar>(tf.cast(tf.equal(tf.argMax(logits, -1), tf.cast(labels, "int32")), "float32")),
  );
}

/** Accuracy of `model` on a split, in inference mode, in batches so memory stays bounded. */
export async function evaluateAccuracy(model: tf.LayersModel, split: Split, batchSize = 256): Promise<number> {
  if (split.count === 0) return 0;
  let correct = 0;
  for (const batch of tensorBatches(split, { batchSize, shuffle: false })) {
    const count = tf.tidy(() =>
      correctCount(model.apply(batch.images, { training: false }) as tf.Tensor, batch.labels),
    );
    correct += (await count.data())[0] as number;
    count.dispose();
  }
  return correct / split.count;
}

/**
 * Lets Node run pending macrotasks, signal handlers among them. A training
 * loop on wasm or cpu awaits only promises that resolve as microtasks, so
 * without this a Ctrl-C would not be seen until the whole run had ended.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
