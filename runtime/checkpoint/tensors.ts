// Conversions between tfjs tensors and a checkpoint's named arrays, for the
// model's variables and an optimizer's weights (`optimizer.getWeights()`).
import * as tf from "@tensorflow/tfjs";
import { fail, ok, type Result } from "../data/errors.js";
import type { NamedArrays } from "./format.js";

/** Reads named tensors (variables or optimizer slots) into arrays; the tensors are not disposed. */
export async function arraysFromTensors(tensors: readonly { name: string; tensor: tf.Tensor }[]): Promise<NamedArrays> {
  const arrays: Record<string, { shape: readonly number[]; data: Float32Array }> = {};
  for (const { name, tensor } of tensors) {
    const values = await tensor.data();
    // A copy: some backends hand out their own storage, which later steps may reuse.
    arrays[name] = { shape: [...tensor.shape], data: Float32Array.from(values as ArrayLike<number>) };
  }
  return arrays;
}

/** Creates tensors from arrays, in the form `optimizer.setWeights` takes; the caller owns (and disposes) them. */
export function tensorsFromArrays(arrays: NamedArrays): { name: string; tensor: tf.Tensor }[] {
  return Object.entries(arrays).map(([name, array]) => ({
    name,
    tensor: tf.tensor(array.data.slice(), [...array.shape], "float32"),
  }));
}

/** Writes arrays into existing variables of the same names and shapes, e.g. a resumed supernet's. */
export function assignVariables(variables: readonly tf.Variable[], arrays: NamedArrays, file: string): Result<number> {
  for (const variable of variables) {
    const array = arrays[variable.name];
    if (array === undefined)
      return fail("corruptCheckpoint", file, `checkpoint ${file} has no values for variable '${variable.name}'`);
    if (array.shape.join("x") !== variable.shape.join("x")) {
      return fail(
        "corruptCheckpoint",
        file,
        `checkpoint ${file} has '${variable.name}' of shape [${array.shape.join(", ")}], ` +
          `the model's is [${variable.shape.join(", ")}]`,
      );
    }
  }
  for (const variable of variables) {
    const array = arrays[variable.name]!;
    tf.tidy(() => variable.assign(tf.tensor(array.data, [...array.shape], "float32")));
  }
  return ok(variables.length);
}
