/**
 * Checks of a run against its data and the machine, before anything is
 * written (runtime/preflight): the data's image shape and classes against the
 * space's input and logits, and the memory training needs on the backend
 * that was chosen. A --target's reachability is checked at compile time
 * (`targetProblem`), before the data is even loaded.
 */
import * as tf from "@tensorflow/tfjs";
import type { Ir } from "../compiler/index.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Dataset } from "../runtime/data/dataset.js";
import {
  dataShapeProblem,
  datasetBytes,
  estimateTrainingMemory,
  memoryLimit,
  memoryProblem,
  targetReachability,
} from "../runtime/preflight/index.js";
import type { SearchSettings } from "../runtime/search/settings.js";

export interface PreflightRequest {
  readonly ir: Ir;
  readonly data: Dataset;
  readonly batchSize: number;
  readonly mode: "search" | "retrain";
  /** Retraining: the widths of the architecture cut from `ir`. */
  readonly widths?: ArrayLike<number>;
  /** The space's text by path, so a shape mismatch can name the `--set` that fixes it. */
  readonly readSource?: (path: string) => string | undefined;
}

/** FIGS5002 (data against the space) or FIGS5003 (memory), at the op of the space they concern; undefined if none. */
export function preflightProblem(request: PreflightRequest): Diagnostic | undefined {
  const { ir, data } = request;
  const shape = dataShapeProblem(ir, data, request.readSource === undefined ? {} : { readSource: request.readSource });
  if (shape !== undefined) return shape;
  const estimate = estimateTrainingMemory(ir, {
    batchSize: request.batchSize,
    mode: request.mode,
    dataBytes: datasetBytes(data),
    ...(request.widths === undefined ? {} : { widths: request.widths }),
  });
  return memoryProblem(estimate, memoryLimit(tf.getBackend()));
}

/** Why a search's --target cannot be reached in this space (the smallest and largest connected costs), or undefined. */
export function targetProblem(
  ir: Ir,
  settings: Pick<SearchSettings, "cost" | "target" | "tolerance">,
): Diagnostic | undefined {
  if (settings.target === null) return undefined;
  return targetReachability(ir, settings.cost, settings.target, settings.tolerance).problem;
}

/** The width of the space's logits: the number of classes its data may have. */
export function logitsWidth(ir: Ir): number | undefined {
  return ir.nodes[ir.output]?.shape.channels;
}
