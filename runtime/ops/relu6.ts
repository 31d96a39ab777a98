/**
 * tfjs-layers' `relu6` activation is `minimum(6, relu(x))`: two kernels, and
 * on wasm a broadcast Minimum that runs element by element, with a gradient
 * through Greater and Multiply. In MobileNetV2 at 96×96 Minimum and Greater
 * were 43% of a training step. figs gives the registered `relu6` activation
 * one `tf.relu6` instead: one kernel forward, and backward the ReLU6
 * gradient (one FigsReluGrad kernel on wasm with the native engine). The
 * same values, but for NaN, which wasm's kernels turn into 6 before and 0 now
 * (cpu keeps it); the saved layer is still the standard `Activation` with
 * `relu6`. At exactly x = 6 the gradient is tfjs's relu6's, 1, where
 * minimum's was 0.
 */
import * as tf from "@tensorflow/tfjs";

interface ActivationClass {
  prototype: { apply(x: tf.Tensor): tf.Tensor };
}

let installed = false;

/** Replaces the registered relu6 activation's apply once; false when tfjs-layers has no such class. */
export function installFastRelu6(): boolean {
  if (installed) return true;
  const entry = tf.serialization.SerializationMap.getMap().classNameMap["relu6"];
  const cls = entry?.[0] as unknown as ActivationClass | undefined;
  if (cls === undefined || typeof cls.prototype.apply !== "function") return false;
  cls.prototype.apply = (x: tf.Tensor): tf.Tensor => tf.relu6(x);
  installed = true;
  return true;
}
