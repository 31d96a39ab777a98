/**
 * A run's checkpoint: what the loop saves (step, epoch, the model's weights,
 * every optimizer's slots under its prefix, the Math.random stream, the
 * plug-in's metadata) and the one way a checkpoint comes back into a model
 * (`restoreCheckpoint`), for a resumed run and for an export alike.
 */
import { join } from "node:path";
import type * as tf from "@tensorflow/tfjs";
import type { Checkpoint, JsonValue, NamedArray } from "../checkpoint/format.js";
import { loadCheckpoint, saveCheckpoint, type SavedCheckpoint } from "../checkpoint/store.js";
import { ok, type Result } from "../data/errors.js";
import type { PluggedOptimizer } from "./plugin.js";
import type { SeededRandom } from "./seeded-random.js";
import { modelArrays, optimizerArrays, prefixed, restoreModel, restoreOptimizer, withPrefix } from "./state.js";

export const CHECKPOINT_DIR = "checkpoint";

/** The generator a checkpoint keeps Math.random's state under. */
export const RANDOM_KEY = "random";

export interface RunSnapshot {
  readonly step: number;
  readonly epoch: number;
  readonly model: tf.LayersModel;
  readonly optimizers: readonly PluggedOptimizer[];
  readonly random: SeededRandom;
  readonly metadata: JsonValue;
}

/** Saves into `runDir/checkpoint/`, replacing the previous checkpoint once the new one is complete. */
export async function saveRunCheckpoint(runDir: string, snapshot: RunSnapshot): Promise<Result<SavedCheckpoint>> {
  const optimizer: Record<string, NamedArray> = {};
  for (const plugged of snapshot.optimizers) {
    Object.assign(optimizer, prefixed(await optimizerArrays(plugged.optimizer), plugged.prefix));
  }
  return saveCheckpoint(join(runDir, CHECKPOINT_DIR), {
    step: snapshot.step,
    epoch: snapshot.epoch,
    weights: await modelArrays(snapshot.model),
    optimizer,
    rng: { [RANDOM_KEY]: snapshot.random.prng.state() },
    metadata: snapshot.metadata,
  });
}

/**
 * The checkpoint in `dir` with its weights restored into `model`: loaded and
 * verified, its metadata read by `read` first (so a checkpoint of another
 * kind is refused before anything changes), then the weights.
 */
export async function restoreCheckpoint<S>(
  model: tf.LayersModel,
  dir: string,
  read: (metadata: JsonValue, dir: string) => Result<S>,
): Promise<Result<{ readonly checkpoint: Checkpoint; readonly state: S }>> {
  const loaded = await loadCheckpoint(dir);
  if (!loaded.ok) return loaded;
  const state = read(loaded.value.metadata, dir);
  if (!state.ok) return state;
  const restored = restoreModel(model, loaded.value.weights, dir);
  if (!restored.ok) return restored;
  return ok({ checkpoint: loaded.value, state: state.value });
}

/** Every optimizer's slots, each from the keys under its prefix. */
export async function restoreOptimizers(
  optimizers: readonly PluggedOptimizer[],
  checkpoint: Checkpoint,
): Promise<void> {
  for (const plugged of optimizers) {
    await restoreOptimizer(plugged.optimizer, withPrefix(checkpoint.optimizer, plugged.prefix));
  }
}
