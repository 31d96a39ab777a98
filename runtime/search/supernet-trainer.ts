/**
 * One search step: loss = cross-entropy + λ·E[cost](π), gradients for the
 * weights and for ν, each applied by its own Adam (ν moves on its own
 * learning rate). Masks are drawn once per step by the supernet's mask layer,
 * shared across the batch. With the cost-only method, ν gets only the
 * gradient of λ·E[cost] (settings.ts, `SearchMethod`).
 */
import * as tf from "@tensorflow/tfjs";
import type { Ir } from "../../compiler/index.js";
import { expectedCost, type ExpectedCost } from "../cost/expected-cost.js";
import { emitSupernet, type Supernet } from "../emit/supernet.js";
import { correctCount, crossEntropy } from "../train/losses.js";
import { scheduledAdam, type ScheduledAdam } from "../train/schedule.js";
import { batchSlices, maskEntropy, samplesForEntropy } from "./adaptive-samples.js";
import type { SearchSettings } from "./settings.js";

export interface StepValues {
  readonly loss: number;
  readonly crossEntropy: number;
  readonly accuracy: number;
  readonly expectedCost: number;
  /** Mask samples the step drew (adaptive sampling; 1 otherwise). */
  readonly samples: number;
}

export class SupernetTrainer {
  readonly supernet: Supernet;
  readonly weightOptimizer: ScheduledAdam;
  readonly archOptimizer: ScheduledAdam;
  private readonly cost: ExpectedCost;
  private readonly weights: tf.Variable[];
  private readonly logits: tf.Variable[];
  private readonly classes: number;
  private readonly method: SearchSettings["method"];
  private readonly maxSamples: number;
  private readonly initialLogit: number;

  constructor(ir: Ir, settings: SearchSettings) {
    this.method = settings.method;
    this.maxSamples = settings.samples;
    this.initialLogit = settings.initialLogit;
    const { initialLogit, temperature, maskNoise: noise } = settings;
    this.supernet = emitSupernet(ir, { initialLogit, temperature, noise, seed: settings.seed + 1 });
    this.cost = expectedCost(ir, settings.cost);
    const archVariables = new Set(this.supernet.masks.trainableWeights.map((w) => w.read()));
    const all = this.supernet.model.trainableWeights.map((w) => w.read() as tf.Variable);
    this.weights = all.filter((v) => !archVariables.has(v));
    this.logits = all.filter((v) => archVariables.has(v));
    this.weightOptimizer = scheduledAdam(settings.learningRate);
    // The paper's ε = 1 (appendix): for the small cost gradients of ν the update is ≈ lr·gradient, so it scales
    // with λ; with a tiny ε Adam would move every ν at the full rate whatever λ is, and λ could not set a budget.
    this.archOptimizer = scheduledAdam(settings.archLearningRate, settings.archEpsilon);
    this.classes = ir.nodes[ir.output]?.shape.channels ?? 1;
  }

  get model(): tf.LayersModel {
    return this.supernet.model;
  }

  setLearningRates(weights: number, arch: number): void {
    this.weightOptimizer.setLearningRate(weights);
    this.archOptimizer.setLearningRate(arch);
  }

  /** One step; the update is skipped when the loss is not finite, so the caller can stop with the last good state. */
  async step(images: tf.Tensor4D, labels: tf.Tensor1D, lambda: number): Promise<StepValues> {
    let parts: tf.Scalar[] = [];
    // The cost-only ablation differentiates the loss for the weights only; ν gets λ·∂E[cost]/∂ν below.
    const costOnly = this.method === "cost-only";
    const samples = this.samplesThisStep();
    const slices = batchSlices(images.shape[0], samples);
    const { value, grads } = tf.variableGrads(
      () => {
        // One mask sample per slice (each forward pass draws its own); the slices' cross-entropies weighted by size.
        let ce: tf.Scalar = tf.scalar(0);
        let correct: tf.Scalar = tf.scalar(0);
        for (const [start, length] of slices) {
          const slice = slices.length === 1 ? images : images.slice(start, length);
          const sliceLabels = slices.length === 1 ? labels : labels.slice(start, length);
          const logits = this.model.apply(slice, { training: true }) as tf.Tensor;
          const weight = length / images.shape[0];
          ce = tf.add(ce, tf.mul(crossEntropy(logits, sliceLabels, this.classes), weight));
          correct = tf.add(correct, correctCount(logits, sliceLabels));
        }
        const cost = this.cost.atLogits(this.supernet.masks.allLogits());
        parts = [tf.keep(ce), tf.keep(correct), tf.keep(cost)];
        return tf.add<tf.Scalar>(ce, tf.mul(cost, lambda));
      },
      costOnly ? this.weights : [...this.weights, ...this.logits],
    );
    if (costOnly) Object.assign(grads, this.costGradients(lambda));
    const [loss, ce, correct, cost] = await Promise.all(
      [value, ...parts].map(async (t) => (await t.data())[0] as number),
    );
    if (Number.isFinite(loss)) {
      this.weightOptimizer.applyGradients(pick(grads, this.weights));
      this.archOptimizer.applyGradients(pick(grads, this.logits));
    }
    tf.dispose([value, ...parts, ...Object.values(grads)]);
    return {
      loss: loss as number,
      crossEntropy: ce as number,
      accuracy: (correct as number) / images.shape[0],
      expectedCost: cost as number,
      samples: slices.length,
    };
  }

  /** 1, or with adaptive sampling the k of the masks' entropy (adaptive-samples.ts). */
  private samplesThisStep(): number {
    if (this.maxSamples <= 1) return 1;
    return samplesForEntropy(maskEntropy(this.logitValues()), this.initialLogit, this.maxSamples);
  }

  /** λ·∂E[cost]/∂ν alone: what ν learns in the cost-only ablation. */
  private costGradients(lambda: number): tf.NamedTensorMap {
    const { value, grads } = tf.variableGrads(
      () => tf.mul<tf.Scalar>(this.cost.atLogits(this.supernet.masks.allLogits()), lambda),
      this.logits,
    );
    value.dispose();
    return grads;
  }

  /** ν in π order, as plain numbers. */
  logitValues(): Float32Array {
    const nu = this.supernet.masks.allLogits();
    const values = nu.dataSync() as Float32Array;
    nu.dispose();
    return Float32Array.from(values);
  }

  dispose(): void {
    this.cost.dispose();
    this.weightOptimizer.dispose();
    this.archOptimizer.dispose();
    this.model.dispose();
  }
}

/** The gradients of some variables, in their order: Adam pairs its slots with variables by position. */
function pick(grads: tf.NamedTensorMap, variables: readonly tf.Variable[]): { name: string; tensor: tf.Tensor }[] {
  return variables.flatMap((v) => {
    const grad = grads[v.name];
    return grad === undefined ? [] : [{ name: v.name, tensor: grad }];
  });
}
