// The backward pass without hoarding. tfjs's `engine.gradients` keeps every
// tensor the tape saved for the backward pass, and every intermediate
// gradient, until the whole backward pass ends: its peak is all activations
// plus all their gradients. This version walks the same tape in the same
// order with the same gradient functions, and releases a node's saved
// tensors and its outputs' gradients as soon as that node is done — no later
// node reads them, since the tape is walked in reverse order of creation. The
// peak becomes that of the forward pass plus the gradients in flight, which
// is what PyTorch's autograd does.
//
// Higher-order gradients (a gradient taken inside a gradient) keep tfjs's
// own method: the outer tape still needs what the inner pass would release.
import * as tf from "@tensorflow/tfjs";

interface TapeNode {
  id: number;
  kernelName: string;
  inputs: Record<string, tf.Tensor>;
  outputs: tf.Tensor[];
  saved?: tf.Tensor[];
  gradient?: (dys: (tf.Tensor | null)[]) => Record<string, () => tf.Tensor>;
}

interface EngineInternals {
  state: { activeTape: TapeNode[] | null; gradientDepth: number };
  gradients: GradientsFn;
  scopedRun<T>(start: () => void, end: () => void, f: () => T): T;
  startTape(): void;
  endTape(): void;
  tidy<T extends tf.TensorContainer>(nameOrFn: string | (() => T), fn?: () => T): T;
}

type GradientsFn = (
  f: () => tf.Tensor,
  xs: tf.Tensor[],
  dy?: tf.Tensor,
  allowNoGradients?: boolean,
) => { value: tf.Tensor; grads: tf.Tensor[] };

const ORIGINAL = Symbol("figs.originalGradients");

type PatchedEngine = EngineInternals & { [ORIGINAL]?: GradientsFn };

/** The nodes on a path from some x to y, inputs not depending on any x pruned (tfjs's getFilteredNodesXToY). */
export function nodesFromXToY(tape: readonly TapeNode[], xs: readonly tf.Tensor[], y: tf.Tensor): TapeNode[] {
  const fromX = new Set(xs.map((x) => x.id));
  const nodesFromX = new Set<number>();
  for (const node of tape) {
    if (Object.values(node.inputs).some((input) => fromX.has(input.id))) {
      for (const output of node.outputs) fromX.add(output.id);
      nodesFromX.add(node.id);
    }
  }
  const toY = new Set([y.id]);
  const nodesToY = new Set<number>();
  for (let i = tape.length - 1; i >= 0; i--) {
    const node = tape[i]!;
    if (!node.outputs.some((output) => toY.has(output.id))) continue;
    for (const input of Object.values(node.inputs)) toY.add(input.id);
    nodesToY.add(node.id);
  }
  return tape
    .filter((node) => nodesFromX.has(node.id) && nodesToY.has(node.id))
    .map((node) => ({
      ...node,
      inputs: Object.fromEntries(Object.entries(node.inputs).filter(([, input]) => fromX.has(input.id))),
    }));
}

/** One node's input gradients added into `grads`; a gradient that is one of the node's own tensors is copied first. */
function accumulate(node: TapeNode, dys: (tf.Tensor | null)[], grads: Map<number, tf.Tensor>, engine: EngineInternals) {
  if (node.gradient === undefined)
    throw new Error(`Cannot compute gradient: gradient function not found for ${node.kernelName}.`);
  const inputGradients = node.gradient(dys);
  const owned = new Set<tf.Tensor | null>([...dys, ...(node.saved ?? [])]);
  for (const [name, x] of Object.entries(node.inputs)) {
    const gradientOf = inputGradients[name];
    if (gradientOf === undefined) throw new Error(`Cannot backprop through input ${name} of ${node.kernelName}.`);
    let dx = engine.tidy(gradientOf);
    if (dx.dtype !== "float32")
      throw new Error(`The gradient of ${node.kernelName}'s ${name} is ${dx.dtype}, not float32`);
    if (!tf.util.arraysEqual(dx.shape, x.shape)) {
      throw new Error(`The gradient of ${node.kernelName}'s ${name} has shape ${dx.shape}, not ${x.shape}`);
    }
    if (owned.has(dx)) dx = tf.clone(dx);
    const before = grads.get(x.id);
    if (before === undefined) grads.set(x.id, dx);
    else {
      grads.set(x.id, tf.add(before, dx));
      tf.dispose([before, dx]);
    }
  }
}

/** Walks the tape backward, releasing each node's saved tensors and output gradients once it is done. */
function backpropagate(tape: TapeNode[], grads: Map<number, tf.Tensor>, keep: Set<number>, engine: EngineInternals) {
  for (let i = tape.length - 1; i >= 0; i--) {
    const node = tape[i]!;
    const dys = node.outputs.map((o) => grads.get(o.id) ?? null);
    accumulate(node, dys, grads, engine);
    tf.dispose(node.saved ?? []);
    for (const output of node.outputs) {
      if (keep.has(output.id)) continue;
      grads.get(output.id)?.dispose();
      grads.delete(output.id);
    }
  }
}

function leanGradients(engine: PatchedEngine, original: GradientsFn): GradientsFn {
  return (f, xs, dy, allowNoGradients = false) => {
    if (engine.state.gradientDepth > 0) return original.call(engine, f, xs, dy, allowNoGradients);
    if (xs.length === 0) throw new Error("gradients() received an empty list of xs.");
    if (dy !== undefined && dy !== null && dy.dtype !== "float32")
      throw new Error(`dy must be float32, not ${dy.dtype}`);
    const y = engine.scopedRun(
      () => engine.startTape(),
      () => engine.endTape(),
      () => engine.tidy("forward", f),
    );
    const tape = engine.state.activeTape ?? [];
    const filtered = nodesFromXToY(tape, xs, y);
    if (!allowNoGradients && filtered.length === 0) {
      throw new Error("Cannot compute gradient of y=f(x) with respect to x: f does not use x.");
    }
    return engine.tidy("backward", () => {
      const grads = new Map<number, tf.Tensor>([[y.id, dy ?? tf.onesLike(y)]]);
      const keep = new Set(xs.map((x) => x.id));
      if (dy !== undefined && dy !== null) keep.add(y.id);
      try {
        backpropagate(filtered, grads, keep, engine);
      } finally {
        for (const node of tape) tf.dispose(node.saved ?? []);
        engine.state.activeTape = null;
      }
      return { value: y, grads: xs.map((x) => grads.get(x.id)!) };
    });
  };
}

/**
 * Replaces tfjs's engine.gradients (used by variableGrads, grad(s), optimizers) with the releasing walk; idempotent.
 * FIGS_LEAN_BACKPROP=0 keeps tfjs's own (to compare the two).
 */
export function installLeanBackprop(): void {
  if (process.env["FIGS_LEAN_BACKPROP"] === "0") return;
  const engine = tf.engine() as unknown as PatchedEngine;
  if (engine[ORIGINAL] !== undefined) return;
  const original = engine.gradients;
  engine[ORIGINAL] = original;
  engine.gradients = leanGradients(engine, original);
}

/** Puts tfjs's own method back (tests compare the two). */
export function uninstallLeanBackprop(): void {
  const engine = tf.engine() as unknown as PatchedEngine;
  const original = engine[ORIGINAL];
  if (original === undefined) return;
  engine.gradients = original;
  delete engine[ORIGINAL];
}
