// Brings up tfjs-backend-wasm under Node: points it at its .wasm binaries in
// node_modules and completes it with our training kernels.
import { createRequire } from "node:module";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import "./quiet.js";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { jsEngine, type GradEngine } from "../kernels/engine.js";
import { loadNativeEngine } from "../kernels/native.js";
import { registerWasmKernels } from "../kernels/register_wasm.js";

let pathsSet = false;

function wasmDistDir(): string {
  const require = createRequire(import.meta.url);
  const pkg = require.resolve("@tensorflow/tfjs-backend-wasm/package.json");
  return path.join(path.dirname(pkg), "dist") + path.sep;
}

export interface WasmSetup {
  engine: GradEngine;
  simd: boolean;
}

/** The fastest gradient engine present: native addon if it loads, else JS. */
export function bestGradEngine(threads?: number): GradEngine {
  return loadNativeEngine(threads) ?? jsEngine;
}

/**
 * Makes `wasm` the active backend with gradient kernels from `engine`.
 * Returns false when the wasm backend cannot start here.
 */
export async function activateWasm(engine: GradEngine = bestGradEngine()): Promise<WasmSetup | null> {
  if (!pathsSet) {
    setWasmPaths(wasmDistDir());
    pathsSet = true;
  }
  registerWasmKernels(engine);
  try {
    if (!(await tf.setBackend("wasm"))) return null;
  } catch {
    return null;
  }
  await tf.ready();
  const simd = (await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT")) === true;
  return { engine, simd };
}
