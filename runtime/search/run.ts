/**
 * A whole search: the supernet's step plugged into the training loop
 * (runtime/train/loop.ts), with the λ controller between steps. What a search
 * checkpoints beyond the loop's own state is λ and the mask noise counter, so
 * a resumed run sees the same masks; same seed → same steps → same ν → same
 * arch.json.
 */
import { join } from "node:path";
import type * as tf from "@tensorflow/tfjs";
import type { Ir } from "../../compiler/index.js";
import { codeOf } from "../../diagnostics/codes.js";
import { plainError, type Diagnostic } from "../../diagnostics/diagnostic.js";
import type { JsonValue } from "../checkpoint/format.js";
import type { Split } from "../data/dataset.js";
import { fail, ok, type Result } from "../data/errors.js";
import { compileSchema } from "../checkpoint/json-schema.js";
import { runTraining, trainingRequest, type TrainingProgress } from "../train/loop.js";
import type { MetricsRecord } from "../train/metrics.js";
import type { PluggedOptimizer, PluginState, StepPosition, TrainingPlugin } from "../train/plugin.js";
import { CHECKPOINT_DIR, restoreCheckpoint } from "../train/run-checkpoint.js";
import { installSeededRandom } from "../train/seeded-random.js";
import { defaultLambda, targetLambda } from "./budget.js";
import type { SearchSettings } from "./settings.js";
import { SupernetTrainer, type StepValues } from "./supernet-trainer.js";

export { CHECKPOINT_DIR } from "../train/run-checkpoint.js";

export interface SearchProgress {
  readonly step: number;
  readonly steps: number;
  readonly epoch: number;
  readonly values: StepValues;
  readonly lambda: number;
}

export interface SearchRunRequest {
  readonly ir: Ir;
  readonly train: Split;
  readonly settings: SearchSettings;
  /** The run directory (exists): checkpoint/ and metrics.jsonl go here. */
  readonly dir: string;
  readonly resume: boolean;
  readonly stop?: { readonly requested: boolean };
  readonly onStep?: (progress: SearchProgress) => void;
  readonly onCheckpoint?: (step: number) => void;
}

export interface SearchOutcome {
  readonly status: "finished" | "stopped" | "failed";
  /** Steps completed (and saved in the last checkpoint). */
  readonly steps: number;
  readonly lambda: number;
  readonly diagnostics: readonly Diagnostic[];
}

/** A search checkpoint's metadata: λ and how many masks the supernet has drawn. */
interface SearchMetadata {
  readonly kind: "figs-search";
  readonly lambda: number;
  readonly draws: number;
}

const isSearchMetadata = compileSchema<SearchMetadata>({
  type: "object",
  required: ["kind", "lambda", "draws"],
  properties: { kind: { const: "figs-search" }, lambda: { type: "number" }, draws: { type: "number" } },
});

export async function runSearch(request: SearchRunRequest): Promise<SearchOutcome> {
  const { settings } = request;
  let search: SearchPlugin | undefined;
  const onStep = (progress: TrainingProgress<StepValues>): void =>
    request.onStep?.({ ...progress, lambda: search?.lambda ?? Number.NaN });
  const training = trainingRequest<StepValues>(settings, {
    train: request.train,
    steps: settings.steps,
    dir: request.dir,
    resume: request.resume,
    stop: request.stop,
    onStep,
    onCheckpoint: request.onCheckpoint,
  });
  return runTraining(
    training,
    () => (search = new SearchPlugin(request.ir, settings)),
    async (plugin, outcome) => ({ ...outcome, lambda: plugin.lambda }),
  );
}

/** The supernet's step, λ and its controller, as the training loop's plug-in. */
class SearchPlugin implements TrainingPlugin<StepValues> {
  readonly trainer: SupernetTrainer;
  readonly optimizers: readonly PluggedOptimizer[];
  readonly checkpointEpoch = "next step";
  lambda: number;

  constructor(
    private readonly ir: Ir,
    private readonly settings: SearchSettings,
  ) {
    this.trainer = new SupernetTrainer(ir, settings);
    this.lambda = settings.lambda ?? defaultLambda(ir, settings.cost, settings.target);
    this.optimizers = [
      { prefix: "w/", optimizer: this.trainer.weightOptimizer, learningRate: settings.learningRate },
      { prefix: "a/", optimizer: this.trainer.archOptimizer, learningRate: settings.archLearningRate },
    ];
  }

  get model(): tf.LayersModel {
    return this.trainer.model;
  }

  readonly state: PluginState = {
    save: () => ({ kind: "figs-search", lambda: this.lambda, draws: this.trainer.supernet.masks.draws }),
    read: (metadata: JsonValue, dir: string): Result<() => void> => {
      if (!isSearchMetadata(metadata))
        return fail("corruptCheckpoint", dir, `${dir} is not the checkpoint of a figs search`);
      return ok(() => {
        this.trainer.supernet.masks.draws = metadata.draws;
        this.lambda = metadata.lambda;
      });
    },
  };

  step(images: tf.Tensor4D, labels: tf.Tensor1D): Promise<StepValues> {
    return this.trainer.step(images, labels, this.lambda);
  }

  /** The controller looks at the exported cost every `controlEvery` steps when there is a target. */
  afterStep(step: number): void {
    if (this.settings.target === null || step % this.settings.controlEvery !== 0) return;
    this.lambda = targetLambda(this.ir, this.trainer.logitValues(), this.settings, step);
  }

  metrics(values: StepValues, at: StepPosition): MetricsRecord {
    return {
      step: at.step,
      epoch: at.epoch,
      loss: values.loss,
      crossEntropy: values.crossEntropy,
      accuracy: values.accuracy,
      expectedCost: values.expectedCost,
      samples: values.samples,
      lambda: this.lambda,
      learningRate: at.learningRate,
    };
  }

  tooFewImages(images: number, batchSize: number): Diagnostic {
    const message =
      `the training set has ${images} images, fewer than one batch of ${batchSize}; ` +
      "use a smaller --batch or a larger --limit";
    return plainError(codeOf("TooFewImages"), message);
  }

  diverged(values: StepValues, step: number): Diagnostic {
    const message =
      `the loss became ${values.loss} at step ${step + 1} ` +
      `(cross-entropy ${values.crossEntropy}, E[cost] ${values.expectedCost}); ` +
      "the search stopped without saving that step: try a smaller --lr or --lambda";
    return plainError(codeOf("TrainingDiverged"), message);
  }

  dispose(): void {
    this.trainer.dispose();
  }
}

const hasLambda = compileSchema<{ readonly lambda: number }>({
  type: "object",
  required: ["lambda"],
  properties: { lambda: { type: "number" } },
});

/** λ as the checkpoint recorded it, if it did. */
function recordedLambda(metadata: JsonValue): Result<number | undefined> {
  return ok(hasLambda(metadata) ? metadata.lambda : undefined);
}

/** For tests and export: the trained supernet of a finished run, restored from its last checkpoint. */
export async function loadSearchedSupernet(
  ir: Ir,
  settings: SearchSettings,
  dir: string,
): Promise<{ trainer?: SupernetTrainer; lambda?: number; diagnostic?: Diagnostic }> {
  const random = installSeededRandom(settings.seed);
  try {
    const trainer = new SupernetTrainer(ir, settings);
    const restored = await restoreCheckpoint(trainer.model, join(dir, CHECKPOINT_DIR), recordedLambda);
    if (!restored.ok) {
      trainer.dispose();
      return { diagnostic: restored.diagnostic };
    }
    const lambda = restored.value.state;
    return { trainer, ...(lambda === undefined ? {} : { lambda }) };
  } finally {
    random.restore();
  }
}
