/**
 * The emitted `bn` layer: Keras's BatchNormalization (axis −1) with figs's
 * fused training kernel. tf.layers' version composes ~12 kernels forward and
 * many more backward per call; on wasm `batchNormTrainMoving` is one each way.
 *
 * Weights are exactly tf.layers': gamma, beta (trainable), moving_mean,
 * moving_variance (not), shape [C], same order, same initialisers, so
 * `countParams()`, weight transfer and checkpoints are unchanged. It saves
 * itself as a plain "BatchNormalization" with Keras's config, so a saved
 * model opens with `tf.loadLayersModel` (or Keras) without importing figs.
 */
import * as tf from "@tensorflow/tfjs";
import { batchNormTrainMoving } from "../kernels/batchnorm_op.js";

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;
type Kwargs = Parameters<tf.layers.Layer["call"]>[1];
type Shape = (number | null)[];

/** tf.layers.batchNormalization's defaults (Keras's). */
export const KERAS_BN_MOMENTUM = 0.99;
export const KERAS_BN_EPSILON = 1e-3;

export interface FigsBatchNormArgs extends LayerArgs {
  readonly momentum?: number;
  readonly epsilon?: number;
}

interface BnWeights {
  readonly gamma: tf.LayerVariable;
  readonly beta: tf.LayerVariable;
  readonly movingMean: tf.LayerVariable;
  readonly movingVariance: tf.LayerVariable;
}

export class FigsBatchNorm extends tf.layers.Layer {
  static className = "FigsBatchNorm";
  readonly momentum: number;
  readonly epsilon: number;
  private bnWeights: BnWeights | undefined;
  /** The fused kernel's per-channel scale: all ones, made once (a OnesLike per layer per step otherwise). */
  private ones: tf.Tensor1D | undefined;

  constructor(args: FigsBatchNormArgs) {
    super(args);
    this.momentum = args.momentum ?? KERAS_BN_MOMENTUM;
    this.epsilon = args.epsilon ?? KERAS_BN_EPSILON;
    this.supportsMasking = true;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = inputShape as Shape;
    const channels = shape[shape.length - 1] ?? 0;
    const add = (name: string, init: ReturnType<typeof tf.initializers.ones>, trainable: boolean): tf.LayerVariable =>
      this.addWeight(name, [channels], "float32", init, undefined, trainable);
    // Same names and order as tf.layers' BatchNormalization.build.
    this.bnWeights = {
      gamma: add("gamma", tf.initializers.ones(), true),
      beta: add("beta", tf.initializers.zeros(), true),
      movingMean: add("moving_mean", tf.initializers.zeros(), false),
      movingVariance: add("moving_variance", tf.initializers.ones(), false),
    };
    this.inputSpec = [{ ndim: shape.length, axes: { [shape.length - 1]: channels } }];
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    const input = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor;
    const weights = this.bnWeights;
    if (!weights) throw new Error("FigsBatchNorm: call before build (tfjs builds a layer on its first apply)");
    const training = (kwargs as { training?: boolean } | undefined)?.training === true;
    return tf.tidy(() => (training ? this.trainingCall(input, weights) : this.inferenceCall(input, weights)));
  }

  private inferenceCall(input: tf.Tensor, w: BnWeights): tf.Tensor {
    const [mean, variance, beta, gamma] = [w.movingMean, w.movingVariance, w.beta, w.gamma].map(
      (v) => v.read() as tf.Tensor1D,
    );
    return tf.batchNorm(input, mean!, variance!, beta, gamma, this.epsilon);
  }

  /**
   * Batch statistics, then the moving averages as Keras updates them
   * (biased variance, moving −= (moving − batch)·(1 − momentum)). On wasm the
   * fused kernel hands its statistics to one small update kernel, so they
   * are not computed twice; they carry no gradient.
   */
  private trainingCall(input: tf.Tensor, w: BnWeights): tf.Tensor {
    const gamma = w.gamma.read() as tf.Tensor1D;
    const beta = w.beta.read() as tf.Tensor1D;
    const moving = {
      mean: w.movingMean.read() as tf.Tensor1D,
      variance: w.movingVariance.read() as tf.Tensor1D,
      momentum: this.momentum,
    };
    this.ones ??= tf.keep(tf.onesLike(gamma));
    const result = batchNormTrainMoving(input, gamma, beta, this.ones, moving, { eps: this.epsilon });
    w.movingMean.write(result.movingMean);
    w.movingVariance.write(result.movingVariance);
    return result.y;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return inputShape as Shape;
  }

  override dispose(): ReturnType<tf.layers.Layer["dispose"]> {
    this.ones?.dispose();
    this.ones = undefined;
    return super.dispose();
  }

  /** Keras's BatchNormalization config, so the saved layer is a standard one. */
  override getConfig(): tf.serialization.ConfigDict {
    const template = tf.layers.batchNormalization({
      name: this.name,
      axis: -1,
      momentum: this.momentum,
      epsilon: this.epsilon,
    });
    return { ...template.getConfig(), ...super.getConfig() };
  }

  /** Saved (and loaded) as tf.layers' BatchNormalization: same weights, same config, same inference. */
  override getClassName(): string {
    return "BatchNormalization";
  }
}

tf.serialization.registerClass(FigsBatchNorm);
