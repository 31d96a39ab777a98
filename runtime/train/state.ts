/**
 * A model's weights and an optimizer's slots as checkpoint arrays, and back.
 *
 * Weights are named by position (`0003:conv_2/kernel`): tfjs makes variable
 * names unique per process, so the same model built twice may not get the
 * same names, while the order of `model.weights` is fixed by the IR. Optimizer
 * slots keep their order the same way: Adam matches them to variables by index.
 */
import * as tf from "@tensorflow/tfjs";
import { fail, ok, type Result } from "../data/errors.js";
import type { NamedArrays } from "../checkpoint/format.js";
import { arraysFromTensors } from "../checkpoint/tensors.js";

function positional(index: number, name: string): string {
  return `${String(index).padStart(4, "0")}:${name}`;
}

export async function modelArrays(model: tf.LayersModel): Promise<NamedArrays> {
  const tensors = model.weights.map((w, i) => ({ name: positional(i, w.originalName), tensor: w.read() }));
  return arraysFromTensors(tensors);
}

/** Restores weights saved by `modelArrays` into a model of the same architecture. */
export function restoreModel(model: tf.LayersModel, arrays: NamedArrays, file: string): Result<number> {
  const saved = Object.values(arrays);
  if (saved.length !== model.weights.length) {
    return fail(
      "corruptCheckpoint",
      file,
      `checkpoint ${file} has ${saved.length} weight arrays, the model has ${model.weights.length}: ` +
        "is it from another space or settings?",
    );
  }
  for (const [i, weight] of model.weights.entries()) {
    const array = saved[i]!;
    if (array.shape.join("x") !== weight.shape.join("x")) {
      return fail(
        "corruptCheckpoint",
        file,
        `checkpoint ${file}: weight ${i} (${weight.originalName}) is [${array.shape.join(", ")}], ` +
          `the model's is [${weight.shape.join(", ")}]`,
      );
    }
  }
  const tensors = saved.map((array) => tf.tensor(array.data.slice(), [...array.shape], "float32"));
  model.setWeights(tensors);
  tf.dispose(tensors);
  return ok(saved.length);
}

export async function optimizerArrays(optimizer: tf.Optimizer): Promise<NamedArrays> {
  const weights = await optimizer.getWeights();
  return arraysFromTensors(weights.map((w, i) => ({ name: positional(i, w.name), tensor: w.tensor })));
}

/** Optimizer arrays of one optimizer out of a checkpoint that holds several, by key prefix. */
export function withPrefix(arrays: NamedArrays, prefix: string): NamedArrays {
  return Object.fromEntries(
    Object.entries(arrays)
      .filter(([name]) => name.startsWith(prefix))
      .map(([name, a]) => [name.slice(prefix.length), a]),
  );
}

export function prefixed(arrays: NamedArrays, prefix: string): NamedArrays {
  return Object.fromEntries(Object.entries(arrays).map(([name, a]) => [`${prefix}${name}`, a]));
}

export async function restoreOptimizer(optimizer: tf.Optimizer, arrays: NamedArrays): Promise<void> {
  const entries = Object.entries(arrays);
  if (entries.length === 0) return;
  const tensors = entries.map(([name, array]) => ({
    name: name.slice(name.indexOf(":") + 1),
    tensor: tf.tensor(array.data.slice(), [...array.shape], "float32"),
  }));
  await optimizer.setWeights(tensors);
  tf.dispose(tensors.map((t) => t.tensor));
}
