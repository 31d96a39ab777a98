/**
 * What search and retrain plug into the one training loop (loop.ts): their
 * step (the forward/backward/update of their model), their state (what a
 * checkpoint holds of them beyond the loop's own) and their metadata (their
 * metrics lines, their words for the loop's failures).
 */
import type * as tf from "@tensorflow/tfjs";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import type { JsonValue } from "../checkpoint/format.js";
import type { Result } from "../data/errors.js";
import type { MetricsRecord } from "./metrics.js";
import type { ScheduledAdam } from "./schedule.js";

/** What every step reports: the loop stops when its loss is not finite. */
export interface StepResult {
  readonly loss: number;
}

/** An optimizer the loop schedules (step decay from `learningRate`) and checkpoints. */
export interface PluggedOptimizer {
  /** Its slots' key prefix in the checkpoint ("" when there is only one optimizer). */
  readonly prefix: string;
  readonly optimizer: ScheduledAdam;
  /** Where its step decay starts. */
  readonly learningRate: number;
}

/** The plug-in's part of a checkpoint: its `metadata`. */
export interface PluginState {
  save(): JsonValue;
  /**
   * Checks a checkpoint's metadata before anything is restored; what it
   * returns applies it, once the weights and optimizers are back.
   */
  read(metadata: JsonValue, dir: string): Result<() => void>;
}

/** Where a step is: its index (0-based, the step it is before it is counted), its epoch, the first optimizer's rate. */
export interface StepPosition {
  readonly step: number;
  readonly epoch: number;
  readonly learningRate: number;
}

export interface TrainingPlugin<V extends StepResult> {
  /** The model whose weights the checkpoint holds. */
  readonly model: tf.LayersModel;
  /** In checkpoint order; the first one's learning rate goes into the metrics. */
  readonly optimizers: readonly PluggedOptimizer[];
  readonly state: PluginState;
  /** One forward/backward/update; the update is skipped when the loss is not finite. */
  step(images: tf.Tensor4D, labels: tf.Tensor1D): Promise<V>;
  /** Called once a step is counted, before progress and checkpoints (search: the λ controller). */
  afterStep?(step: number): void;
  /** The metrics.jsonl line of a step. */
  metrics(values: V, at: StepPosition): MetricsRecord;
  /** The plug-in's words for the loop's two failures. */
  tooFewImages(images: number, batchSize: number): Diagnostic;
  diverged(values: V, step: number): Diagnostic;
  /**
   * The epoch a checkpoint records (informational: a resumed run counts from
   * the step): search records the epoch of the next step, retrain the epoch of
   * the last one, as their checkpoints always have.
   */
  readonly checkpointEpoch: "next step" | "last step";
  /** Frees the plug-in's tensors; the loop calls it last, whatever happened. */
  dispose(): void;
}
