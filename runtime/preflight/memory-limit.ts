/**
 * What a training run may use, by backend, and the refusal when an estimate
 * (memory.ts) does not fit. The machine's share leaves room for the rest of
 * the system and for the estimate's own error; wasm has a harder ceiling:
 * tfjs-backend-wasm 4.22 keeps every tensor in one wasm32 heap that grows to
 * at most 4 GiB − 64 KiB (its `getHeapMax()`), whatever the machine has.
 */
import { totalmem } from "node:os";
import { formatNumber } from "../../compiler/index.js";
import { codeOf } from "../../diagnostics/codes.js";
import { error, type Diagnostic } from "../../diagnostics/diagnostic.js";
import type { SourceRange } from "../../diagnostics/source.js";
import type { MemoryEstimate, MemoryParts } from "./memory.js";

/** tfjs-backend-wasm's maximum heap (emscripten `getHeapMax()`, wasm32). */
export const WASM_HEAP_BYTES = 4_294_901_760;
/** V8's longest typed array, in elements: the pure-JS `cpu` backend stores each tensor in one. */
export const TYPED_ARRAY_ELEMENTS = 2 ** 32;
/** Share of the machine's (or container's) memory a run may plan to use. */
export const MACHINE_SHARE = 0.8;

export interface MemoryLimit {
  readonly backend: string;
  /** Bytes the whole process may use, and where that number comes from. */
  readonly total: number;
  readonly totalReason: string;
  /** Bytes the backend can hold in tensors altogether, when it has its own ceiling (wasm). */
  readonly tensors?: number;
  readonly tensorsReason?: string;
  /** Bytes of the largest single tensor the backend can hold, when it limits that (cpu). */
  readonly tensor?: number;
}

export interface MachineMemory {
  readonly total: number;
  /** A container's limit (`process.constrainedMemory()`), when smaller than the machine's. */
  readonly constrained?: number;
}

export function machineMemory(): MachineMemory {
  const constrained = process.constrainedMemory?.();
  return { total: totalmem(), ...(constrained !== undefined && constrained > 0 ? { constrained } : {}) };
}

/**
 * The limits of training on `backend` (a name from runtime/backend/select.ts: tensorflow-gpu, tensorflow, wasm, cpu).
 */
export function memoryLimit(backend: string, machine: MachineMemory = machineMemory()): MemoryLimit {
  const container = machine.constrained !== undefined && machine.constrained < machine.total;
  const available = container ? machine.constrained : machine.total;
  const total = Math.floor(MACHINE_SHARE * available);
  const owner = container ? "container's" : "machine's";
  const totalReason = `${Math.round(MACHINE_SHARE * 100)}% of this ${owner} ${formatBytes(available)} of memory`;
  if (backend === "wasm") {
    return {
      backend,
      total,
      totalReason,
      tensors: WASM_HEAP_BYTES,
      tensorsReason: "the WebAssembly heap that holds every tensor of the wasm backend can grow to",
      tensor: WASM_HEAP_BYTES,
    };
  }
  if (backend === "cpu") return { backend, total, totalReason, tensor: 4 * TYPED_ARRAY_ELEMENTS };
  return { backend, total, totalReason };
}

/**
 * Undefined when the estimate fits the limit; otherwise FIGS5003 with the
 * estimate, what it consists of, the limit and what to change: a batch size
 * that would fit (when one does), smaller widths with --set, and on wasm a
 * backend without its 4 GB ceiling.
 */
export function memoryProblem(estimate: MemoryEstimate, limit: MemoryLimit): Diagnostic | undefined {
  const over = exceeded(estimate, limit);
  if (!over) return undefined;
  const message = [
    `${estimate.mode} of '${estimate.space}' at batch ${estimate.batchSize} ` +
      `would need about ${formatBytes(over.needed)}${over.what ? ` ${over.what}` : ""}, ` +
      `more than ${over.reason} (${formatBytes(over.limit)}).`,
    `Estimate: ${describeParts(estimate)}.`,
    largestText(estimate),
    hint(estimate, limit, over),
  ].join(" ");
  return error(codeOf("TrainingTooLarge"), message, rangeOf(estimate));
}

interface Exceeded {
  readonly needed: number;
  readonly what: string;
  readonly limit: number;
  readonly reason: string;
  /** Bytes that do not shrink with the batch, counted against the same limit. */
  readonly fixed: number;
}

function exceeded(estimate: MemoryEstimate, limit: MemoryLimit): Exceeded | undefined {
  const batchBytes = estimate.perImage * estimate.batchSize;
  if (limit.tensors !== undefined && estimate.tensorBytes > limit.tensors) {
    const reason = limit.tensorsReason ?? `what the ${limit.backend} backend can hold`;
    return {
      needed: estimate.tensorBytes,
      what: "in tensors",
      limit: limit.tensors,
      reason,
      fixed: estimate.tensorBytes - batchBytes,
    };
  }
  if (limit.tensor !== undefined && estimate.largest.bytes > limit.tensor) {
    const reason = `the largest tensor the ${limit.backend} backend can hold`;
    const fixed = estimate.largest.what === "weights" ? estimate.largest.bytes : 0;
    return { needed: estimate.largest.bytes, what: "for its largest tensor", limit: limit.tensor, reason, fixed };
  }
  if (estimate.total > limit.total)
    return {
      needed: estimate.total,
      what: "",
      limit: limit.total,
      reason: limit.totalReason,
      fixed: estimate.total - batchBytes,
    };
  return undefined;
}

const PART_NAMES: Readonly<Record<keyof MemoryParts, string>> = {
  weights: "weights",
  optimizer: "Adam's two slots",
  gradients: "gradients",
  activations: "activations kept for the backward pass",
  masks: "masked copies of the masked layers' outputs",
  data: "the dataset",
  runtime: "Node and tfjs",
};

function describeParts(estimate: MemoryEstimate): string {
  const parts = (Object.keys(PART_NAMES) as (keyof MemoryParts)[]).filter((part) => estimate.parts[part] > 0);
  const listed = parts.map((part) => `${PART_NAMES[part]} ${formatBytes(estimate.parts[part])}`).join(", ");
  return (
    `${formatNumber(estimate.trainable)} trainable values ` +
    `(× weight, 2 Adam slots, gradient, 4 bytes each): ${listed}`
  );
}

function largestText(estimate: MemoryEstimate): string {
  const { node, bytes, what } = estimate.largest;
  const at = `${node.range.file}:${node.range.start.line}:${node.range.start.column}`;
  const shape = `${node.shape.height}×${node.shape.width}×${formatNumber(node.shape.channels)}`;
  const tensor =
    what === "weights" ? `the weights of '${node.name}'` : `the output of '${node.name}' (${shape} per image)`;
  return `The largest tensor is ${tensor}, ${formatBytes(bytes)}, made at ${at}.`;
}

function hint(estimate: MemoryEstimate, limit: MemoryLimit, over: Exceeded): string {
  const perImage = over.what === "for its largest tensor" ? over.needed / estimate.batchSize : estimate.perImage;
  const fitting = perImage > 0 ? Math.floor((over.limit - over.fixed) / perImage) : 0;
  const widths = smallerWidths(estimate);
  const batch =
    fitting >= 1
      ? `--batch ${Math.min(fitting, estimate.batchSize - 1)} or smaller would fit; or use ${widths}`
      : `No batch size fits: even at batch 1 it would need about ${formatBytes(over.fixed + perImage)}; use ${widths}`;
  const backend =
    limit.backend === "wasm" && over.limit === limit.tensors
      ? "; or a backend without wasm's 4 GB ceiling (--backend tensorflow, with @tensorflow/tfjs-node installed)"
      : "";
  return `${batch}${backend}.`;
}

function smallerWidths(estimate: MemoryEstimate): string {
  const numeric = Object.entries(estimate.parameters).filter(([, value]) => typeof value === "number");
  if (numeric.length === 0) return "smaller widths in the space";
  const settings = numeric.map(([name, value]) => `${name}=${String(value)}`).join(", ");
  return `smaller widths with --set (the space's parameters: ${settings})`;
}

/** Bytes in binary units: "512 B", "3.4 MB", "1.2 TB". */
export function formatBytes(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB", "PB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${Math.round(value)} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

function rangeOf(estimate: MemoryEstimate): SourceRange {
  const r = estimate.largest.node.range;
  return { file: r.file, start: { ...r.start }, end: { ...r.end } };
}
