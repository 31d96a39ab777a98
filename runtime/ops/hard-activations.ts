/**
 * `hardsigmoid` and `hardswish` as PyTorch defines them: relu6(x + 3) / 6 and
 * x·relu6(x + 3) / 6, as functions on tensors. Models build them from
 * standard layers (builders.ts), so an export opens with plain tfjs; the two
 * layer classes below are what figs 0.x wrote instead, kept registered so
 * that such exports still load (runtime/export/model-files.ts imports this).
 */
import * as tf from "@tensorflow/tfjs";

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;
type Shape = (number | null)[];

/** relu6(x + 3) / 6: 0 below −3, 1 above 3, linear between. */
export function hardSigmoid(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.div(tf.relu6(tf.add(x, 3)), 6));
}

/** x·relu6(x + 3) / 6: 0 below −3, x above 3. */
export function hardSwish(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.div(tf.mul(x, tf.relu6(tf.add(x, 3))), 6));
}

/** A weightless layer applying a function to each value. */
abstract class ElementwiseLayer extends tf.layers.Layer {
  constructor(args: LayerArgs) {
    super(args);
  }

  protected abstract activate(x: tf.Tensor): tf.Tensor;

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (!x) throw new Error(`${this.getClassName()}: called without an input`);
    return this.activate(x);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return inputShape;
  }
}

export class HardSigmoid extends ElementwiseLayer {
  static className = "FigsHardSigmoid";

  protected activate(x: tf.Tensor): tf.Tensor {
    return hardSigmoid(x);
  }
}

export class HardSwish extends ElementwiseLayer {
  static className = "FigsHardSwish";

  protected activate(x: tf.Tensor): tf.Tensor {
    return hardSwish(x);
  }
}

tf.serialization.registerClass(HardSigmoid);
tf.serialization.registerClass(HardSwish);
