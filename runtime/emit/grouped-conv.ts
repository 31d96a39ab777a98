/**
 * `conv(k, width, groups: G)` for G > 1: tfjs-layers' Conv2D has no `groups`,
 * so this layer splits the channels into G groups and runs one conv2d per
 * group. The kernel is [kh, kw, C_in/G, C_out] like Keras' grouped Conv2D, so
 * `countParams()` is kh·kw·C_in·C_out/G (+ C_out bias), the compiler's count.
 */
import * as tf from "@tensorflow/tfjs";

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;
type Kwargs = Parameters<tf.layers.Layer["call"]>[1];
type Shape = (number | null)[];

export interface GroupedConvArgs extends LayerArgs {
  readonly filters: number;
  readonly kernelSize: readonly [number, number];
  readonly strides: readonly [number, number];
  readonly padding: "same" | "valid";
  readonly groups: number;
  readonly useBias: boolean;
}

export class GroupedConv2D extends tf.layers.Layer {
  static className = "FigsGroupedConv2D";
  readonly config: Omit<GroupedConvArgs, keyof LayerArgs>;
  private kernel: tf.LayerVariable | undefined;
  private bias: tf.LayerVariable | undefined;

  constructor(args: GroupedConvArgs) {
    super(args);
    const { filters, kernelSize, strides, padding, groups, useBias } = args;
    this.config = {
      filters,
      kernelSize: [kernelSize[0], kernelSize[1]],
      strides: [strides[0], strides[1]],
      padding,
      groups,
      useBias,
    };
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = inputShape as Shape;
    const channels = shape[shape.length - 1] ?? 0;
    const { kernelSize, groups, filters, useBias } = this.config;
    const kernelShape = [kernelSize[0], kernelSize[1], channels / groups, filters];
    this.kernel = this.addWeight("kernel", kernelShape, "float32", tf.initializers.glorotUniform({}));
    if (useBias) this.bias = this.addWeight("bias", [filters], "float32", tf.initializers.zeros());
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    const input = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    const { groups, strides, padding } = this.config;
    return tf.tidy(() => {
      const kernel = (this.kernel as tf.LayerVariable).read() as tf.Tensor4D;
      const inputParts = tf.split(input, groups, 3);
      const kernelParts = tf.split(kernel, groups, 3);
      const outputs = inputParts.map((part, g) =>
        tf.conv2d(part as tf.Tensor4D, kernelParts[g] as tf.Tensor4D, [strides[0], strides[1]], padding),
      );
      const joined = tf.concat(outputs, 3);
      return this.bias ? tf.add(joined, this.bias.read()) : joined;
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [batch, height, width] = inputShape as Shape;
    const { kernelSize, strides, padding, filters } = this.config;
    const out = (size: number | null | undefined, k: number, s: number): number | null => {
      if (size === null || size === undefined) return null;
      return padding === "same" ? Math.ceil(size / s) : Math.floor((size - k) / s) + 1;
    };
    return [batch ?? null, out(height, kernelSize[0], strides[0]), out(width, kernelSize[1], strides[1]), filters];
  }

  override getConfig(): tf.serialization.ConfigDict {
    const { filters, kernelSize, strides, padding, groups, useBias } = this.config;
    return {
      ...super.getConfig(),
      filters,
      kernelSize: [...kernelSize],
      strides: [...strides],
      padding,
      groups,
      useBias,
    };
  }
}

tf.serialization.registerClass(GroupedConv2D);
