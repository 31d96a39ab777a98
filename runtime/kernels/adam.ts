// Adam with one fused kernel per variable on wasm. tfjs's AdamOptimizer issues
// ~13 kernels per variable per step (mul, add, square, div, sqrt, assign…);
// on N1's 80 small variables that per-call overhead is ~15% of a step. This
// subclass keeps AdamOptimizer's state layout, names, getWeights/setWeights
// and serialisation, and only replaces the update where the kernel exists.
import * as tf from "@tensorflow/tfjs";
import { asWasm, f32, input } from "./wasm_heap.js";

export const ADAM_KERNEL = "FigsAdamUpdate";

interface AdamAttrs {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** 1 − β₁ᵗ and 1 − β₂ᵗ for this step. */
  correction1: number;
  correction2: number;
}

/** (value, gradient, m, v) → (value', m', v'), exactly tfjs's Adam arithmetic. */
export const adamKernel: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = asWasm(backend);
  const a = attrs as unknown as AdamAttrs;
  const value = input(inputs, "value");
  const outs = [0, 1, 2].map(() => wasm.makeOutput([...value.shape], "float32"));
  const [nv, nm, ns] = outs.map((t) => f32(wasm, t)) as [Float32Array, Float32Array, Float32Array];
  const x = f32(wasm, value);
  const g = f32(wasm, input(inputs, "gradient"));
  const m = f32(wasm, input(inputs, "m"));
  const v = f32(wasm, input(inputs, "v"));
  for (let i = 0; i < x.length; i++) {
    const mi = m[i]! * a.beta1 + g[i]! * (1 - a.beta1);
    const vi = v[i]! * a.beta2 + g[i]! * g[i]! * (1 - a.beta2);
    nm[i] = mi;
    ns[i] = vi;
    nv[i] = (mi / a.correction1 / (Math.sqrt(vi / a.correction2) + a.epsilon)) * -a.learningRate + x[i]!;
  }
  return outs;
};

/** tfjs's NamedTensor, which the tfjs package does not re-export. */
interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

type VariableGradients = Parameters<tf.AdamOptimizer["applyGradients"]>[0];

interface Moment {
  originalName: string;
  variable: tf.Variable;
}

/** AdamOptimizer's private state, read through a cast (same object). */
interface AdamState {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: Moment[];
  accumulatedSecondMoment: Moment[];
}

export class FigsAdam extends tf.AdamOptimizer {
  static override get className(): string {
    return "Adam";
  }

  override applyGradients(variableGradients: VariableGradients): void {
    if (tf.getBackend() !== "wasm" || tf.getKernel(ADAM_KERNEL, "wasm") === undefined) {
      super.applyGradients(variableGradients);
      return;
    }
    const state = this as unknown as AdamState;
    const list: NamedTensor[] | null = Array.isArray(variableGradients) ? variableGradients : null;
    const map = list === null ? (variableGradients as Record<string, tf.Tensor | undefined>) : null;
    const names = list !== null ? list.map((v) => v.name) : Object.keys(map ?? {});
    const attrs: AdamAttrs = {
      learningRate: this.learningRate,
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      correction1: 1 - this.beta1 ** (this.iterations + 1),
      correction2: 1 - this.beta2 ** (this.iterations + 1),
    };
    tf.tidy(() => {
      names.forEach((name, i) => {
        const gradient = list !== null ? list[i]?.tensor : map?.[name];
        this.update(state, name, i, gradient, attrs);
      });
      state.accBeta1.assign(tf.mul(state.accBeta1, this.beta1));
      state.accBeta2.assign(tf.mul(state.accBeta2, this.beta2));
    });
    this.incrementIterations();
  }

  private update(state: AdamState, name: string, i: number, gradient: tf.Tensor | undefined, attrs: AdamAttrs): void {
    const value = tf.engine().registeredVariables[name];
    if (value === undefined) return;
    state.accumulatedFirstMoment[i] ??= {
      originalName: `${name}/m`,
      variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
    };
    state.accumulatedSecondMoment[i] ??= {
      originalName: `${name}/v`,
      variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
    };
    if (gradient === undefined || gradient === null) return;
    const m = state.accumulatedFirstMoment[i].variable;
    const v = state.accumulatedSecondMoment[i].variable;
    const inputs = { value, gradient, m, v };
    const [nv, nm, ns] = tf.engine().runKernel(ADAM_KERNEL, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
    m.assign(nm!);
    v.assign(ns!);
    value.assign(nv!);
  }
}

/** Drop-in for tf.train.adam: fused updates on wasm, tfjs's Adam elsewhere. */
export function figsAdam(learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon?: number): FigsAdam {
  return new FigsAdam(learningRate, beta1, beta2, epsilon);
}
