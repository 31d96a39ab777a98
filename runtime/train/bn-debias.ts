/**
 * Batch norm's moving statistics are exponential averages that start at
 * mean 0 and variance 1: after t updates with momentum m the start still
 * weighs m^t (0.99^100 ≈ 0.37, 0.99^312 ≈ 0.04), so a short training's
 * evaluation normalises with statistics the network never had — a one-epoch
 * retraining of the CPU One-Shot space scored 11–29% on the test images
 * at 77–89% on its training batches. As Adam does for its moments, divide
 * the start out once training ends:
 *
 *   mean ← mean / (1 − m^t),   variance ← (variance − m^t) / (1 − m^t),
 *
 * which is exactly the average of the t batch statistics with weights
 * (1 − m)·m^(t−i), normalised to sum to 1. After a long run (m^t → 0) it
 * changes nothing.
 */
import * as tf from "@tensorflow/tfjs";

interface MovingStatistics {
  readonly momentum: number;
  readonly mean: tf.LayerVariable;
  readonly variance: tf.LayerVariable;
}

/** The moving statistics of every batch-norm layer (figs's and tf.layers'): weights named …moving_mean/…variance. */
function movingStatistics(model: tf.LayersModel): MovingStatistics[] {
  return model.layers.flatMap((layer) => {
    const momentum = (layer as unknown as { momentum?: unknown }).momentum;
    const weight = (suffix: string): tf.LayerVariable | undefined =>
      layer.weights.find((w) => w.originalName.endsWith(suffix));
    const [mean, variance] = [weight("moving_mean"), weight("moving_variance")];
    if (typeof momentum !== "number" || mean === undefined || variance === undefined) return [];
    return [{ momentum, mean, variance }];
  });
}

/** Divides the zero/one start out of every batch norm's moving statistics after `updates` training steps. */
export function debiasMovingStatistics(model: tf.LayersModel, updates: number): number {
  const layers = movingStatistics(model);
  for (const { momentum, mean, variance } of layers) {
    const start = momentum ** updates;
    if (!(start > 0 && start < 1)) continue;
    tf.tidy(() => {
      const kept = 1 - start;
      mean.write(tf.div(mean.read(), kept));
      variance.write(tf.div(tf.relu(tf.sub(variance.read(), start)), kept));
    });
  }
  return layers.length;
}
