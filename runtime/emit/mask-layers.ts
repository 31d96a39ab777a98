/**
 * The two custom layers of a supernet (DESIGN.md "Masks and groups").
 *
 * `FigsGroupMasks` owns every searchable group's logits ν and draws one mask
 * vector m̂ per forward pass: sigmoid((ν + ℓ)/τ) with ℓ ~ Logistic(0, 1) in
 * training, 1[ν > 0] in evaluation. It is one layer on purpose: the layers
 * engine runs it once per forward pass, so one channel's noise is shared by
 * the whole batch and by every producer of its group (an `add` unifies the
 * masks of several convs), which independent per-producer layers could not do.
 *
 * `FigsApplyMask` multiplies a producer's output channels by their masks,
 * picked out of m̂ by π index (−1: a channel without a mask, always 1): one
 * native kernel each way on wasm (runtime/kernels/channel_mask.ts).
 */
import * as tf from "@tensorflow/tfjs";
import { applyChannelMask, gatherIndices } from "../kernels/channel_mask.js";

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;
type Kwargs = Parameters<tf.layers.Layer["call"]>[1];
type Shape = (number | null)[];

export type MaskNoise = "logistic" | "none";

export interface MaskGroupSpec {
  /** The IR group id, used to name the logit weight `nu_g<id>`. */
  readonly id: number;
  readonly size: number;
}

export interface GroupMasksOptions {
  /** Initial value of every ν (paper: 2.5, π ≈ 0.92). */
  readonly initialLogit: number;
  /** Temperature τ of the Logistic-Sigmoid (paper: 0.001, no annealing). */
  readonly temperature: number;
  /** `none` drops ℓ: m̂ = sigmoid(ν/τ), deterministic, for gradient checks. */
  readonly noise: MaskNoise;
  /** With a seed, draw k uses seed + k, so a run can be replayed (and resumed from `draws`). */
  readonly seed?: number;
}

export const DEFAULT_MASK_OPTIONS: GroupMasksOptions = { initialLogit: 2.5, temperature: 0.001, noise: "logistic" };

/** Keeps u away from 0 and 1 so that log(u) − log(1 − u) stays finite in float32. */
const UNIFORM_MARGIN = 1e-6;

export interface GroupMasksArgs extends LayerArgs, GroupMasksOptions {
  /** Searchable groups in π order (ascending IR offset). */
  readonly groups: readonly MaskGroupSpec[];
}

export class GroupMasks extends tf.layers.Layer {
  static className = "FigsGroupMasks";
  readonly groups: readonly MaskGroupSpec[];
  readonly options: GroupMasksOptions;
  /** How many noise vectors were drawn: the RNG state to checkpoint with a seeded run. */
  draws = 0;
  private logits: tf.LayerVariable[] = [];

  constructor(args: GroupMasksArgs) {
    super(args);
    this.groups = args.groups.map((g) => ({ id: g.id, size: g.size }));
    const { initialLogit, temperature, noise, seed } = args;
    this.options =
      seed === undefined ? { initialLogit, temperature, noise } : { initialLogit, temperature, noise, seed };
  }

  get length(): number {
    return this.groups.reduce((total, g) => total + g.size, 0);
  }

  override build(): void {
    const initializer = tf.initializers.constant({ value: this.options.initialLogit });
    this.logits = this.groups.map((g) =>
      this.addWeight(`nu_g${g.id}`, [g.size], "float32", initializer, undefined, true),
    );
    this.built = true;
  }

  /** ν of every searchable group, one per IR group id. */
  logitVariables(): ReadonlyMap<number, tf.LayerVariable> {
    return new Map(this.groups.map((g, i) => [g.id, this.logits[i] as tf.LayerVariable]));
  }

  /** All ν in π order, as one vector (length = the IR's maskVariables). */
  allLogits(): tf.Tensor1D {
    if (this.logits.length === 0) return tf.zeros([0]);
    return tf.concat(this.logits.map((v) => v.read() as tf.Tensor1D));
  }

  override call(_inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    const training = kwargs["training"] === true;
    const noise = training && this.options.noise === "logistic" ? this.drawNoise() : undefined;
    return tf.tidy(() => {
      const nu = this.allLogits();
      if (!training) return tf.cast(tf.greater(nu, 0), "float32").reshape([1, -1]);
      const shifted = noise ? tf.add(nu, noise) : nu;
      return tf.sigmoid(tf.div(shifted, this.options.temperature)).reshape([1, -1]);
    });
  }

  /** ℓ = log u − log(1 − u), u ~ U(0, 1): one value per channel, shared by the batch. */
  private drawNoise(): tf.Tensor1D {
    const seed = this.options.seed === undefined ? undefined : this.options.seed + this.draws;
    this.draws += 1;
    return tf.tidy(() => {
      const u = tf.randomUniform([this.length], UNIFORM_MARGIN, 1 - UNIFORM_MARGIN, "float32", seed);
      return tf.sub(tf.log(u), tf.log1p(tf.neg(u))) as tf.Tensor1D;
    });
  }

  override computeOutputShape(): Shape {
    return [1, this.length];
  }

  override getConfig(): tf.serialization.ConfigDict {
    const { initialLogit, temperature, noise, seed } = this.options;
    const groups = this.groups.map((g) => ({ id: g.id, size: g.size }));
    return { ...super.getConfig(), groups, initialLogit, temperature, noise, ...(seed === undefined ? {} : { seed }) };
  }
}

export interface ApplyMaskArgs extends LayerArgs {
  /** For each output channel of the producer, its index in π, or −1 for a channel without a mask. */
  readonly indices: readonly number[];
}

export class ApplyMask extends tf.layers.Layer {
  static className = "FigsApplyMask";
  readonly indices: readonly number[];
  /** The indices as tensors, made on the first call and kept: every training step needs them. */
  private kept: { raw: tf.Tensor1D; gather: tf.Tensor1D } | undefined;

  constructor(args: ApplyMaskArgs) {
    super(args);
    this.indices = [...args.indices];
  }

  /** inputs: [features (…, C), masks (1, M)]. */
  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    const [features, masks] = inputs as tf.Tensor[];
    if (!features || !masks) throw new Error("FigsApplyMask expects [features, masks]");
    // An appended 1 serves every unmasked channel in the composition (index −1 → the last entry).
    this.kept ??= {
      raw: tf.keep(tf.tensor1d([...this.indices], "int32")),
      gather: tf.keep(tf.tensor1d(gatherIndices(this.indices, masks.size), "int32")),
    };
    return applyChannelMask(features, masks, this.kept.raw, this.kept.gather);
  }

  override dispose(): ReturnType<tf.layers.Layer["dispose"]> {
    this.kept?.raw.dispose();
    this.kept?.gather.dispose();
    this.kept = undefined;
    return super.dispose();
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shapes = inputShape as Shape[];
    return [...(shapes[0] ?? [])];
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), indices: [...this.indices] };
  }
}

tf.serialization.registerClass(GroupMasks);
tf.serialization.registerClass(ApplyMask);
