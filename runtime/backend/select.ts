// The one place that decides which tfjs backend figs trains on.
// Order: libtensorflow GPU, libtensorflow CPU (both only when their optional
// packages load), then wasm completed with figs's gradient kernels (native
// addon when built, JS otherwise), then tfjs's pure-JS `cpu` backend.
import * as tf from "@tensorflow/tfjs";
import { installLeanBackprop } from "./lean-backprop.js";
import "./quiet.js";
import { activateWasm, bestGradEngine } from "./wasm.js";

export const BACKEND_NAMES = ["tensorflow-gpu", "tensorflow", "wasm", "cpu"] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export interface BackendChoice {
  name: BackendName;
  /** The name tfjs knows the backend by (tf.getBackend()). */
  tfBackend: string;
  /** How it runs: kernels, SIMD, threads. */
  detail: string;
  /** Backends tried before this one and why they were passed over. */
  skipped: string[];
}

export interface SelectOptions {
  /** `--backend`: one of BACKEND_NAMES or "auto" (default). */
  override?: string;
  /** Threads for figs's native kernels (default: all cores). */
  threads?: number;
  /** Module loader; injectable so tests need not install tfjs-node. */
  importer?: (specifier: string) => Promise<unknown>;
}

const NODE_PACKAGES: Record<"tensorflow-gpu" | "tensorflow", string> = {
  "tensorflow-gpu": "@tensorflow/tfjs-node-gpu",
  tensorflow: "@tensorflow/tfjs-node",
};

function dynamicImport(specifier: string): Promise<unknown> {
  return import(specifier) as Promise<unknown>;
}

export function parseBackendName(value: string): BackendName | "auto" {
  if (value === "auto") return value;
  const found = BACKEND_NAMES.find((n) => n === value);
  if (found === undefined) {
    throw new Error(`unknown backend '${value}'; expected auto, ${BACKEND_NAMES.join(", ")}`);
  }
  return found;
}

type Attempt = { ok: true; tfBackend: string; detail: string } | { ok: false; reason: string };

async function tryNode(name: "tensorflow-gpu" | "tensorflow", importer: SelectOptions["importer"]): Promise<Attempt> {
  const pkg = NODE_PACKAGES[name];
  try {
    await (importer ?? dynamicImport)(pkg);
  } catch {
    return { ok: false, reason: `${pkg} not installed` };
  }
  // Both packages register their backend under the name "tensorflow".
  if (!(await setBackendSafely("tensorflow"))) return { ok: false, reason: `${pkg} failed to start` };
  return { ok: true, tfBackend: "tensorflow", detail: `libtensorflow via ${pkg}` };
}

async function tryWasm(threads: number | undefined): Promise<Attempt> {
  const engine = bestGradEngine(threads);
  const setup = await activateWasm(engine);
  if (setup === null) return { ok: false, reason: "wasm failed to start" };
  const simd = setup.simd ? "SIMD" : "no SIMD";
  return {
    ok: true,
    tfBackend: "wasm",
    detail: `tfjs-backend-wasm (${simd}, 1 thread) + figs ${engine.description} training kernels`,
  };
}

async function tryCpu(): Promise<Attempt> {
  if (!(await setBackendSafely("cpu"))) return { ok: false, reason: "cpu backend failed to start" };
  return { ok: true, tfBackend: "cpu", detail: "tfjs pure-JS kernels (slow: for tests only)" };
}

async function setBackendSafely(name: string): Promise<boolean> {
  try {
    const ok = await tf.setBackend(name);
    if (ok) await tf.ready();
    return ok;
  } catch {
    return false;
  }
}

function attempt(name: BackendName, options: SelectOptions): Promise<Attempt> {
  switch (name) {
    case "tensorflow-gpu":
    case "tensorflow":
      return tryNode(name, options.importer);
    case "wasm":
      return tryWasm(options.threads);
    case "cpu":
      return tryCpu();
  }
}

/** Selects and activates the backend; throws only if an explicit override cannot start. */
export async function selectBackend(options: SelectOptions = {}): Promise<BackendChoice> {
  const wanted = parseBackendName(options.override ?? "auto");
  installLeanBackprop();
  const order = wanted === "auto" ? BACKEND_NAMES : [wanted];
  const skipped: string[] = [];
  for (const name of order) {
    const result = await attempt(name, options);
    if (result.ok) return { name, tfBackend: result.tfBackend, detail: result.detail, skipped };
    skipped.push(`${name}: ${result.reason}`);
  }
  throw new Error(`no usable backend (${skipped.join("; ")})`);
}

/** One line for the CLI to print, e.g. "backend: wasm — … (skipped: …)". */
export function describeBackend(choice: BackendChoice): string {
  const skipped = choice.skipped.length > 0 ? ` (skipped ${choice.skipped.join("; ")})` : "";
  return `backend: ${choice.name} — ${choice.detail}${skipped}`;
}
