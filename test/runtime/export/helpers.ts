// Shared by the emit, cost and export tests: compiling spaces, seeded randomness, the cpu backend.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { compile, type CostConvention, type Ir } from "../../../compiler/index.js";
/** The project's one small seeded generator (mulberry32), so runs replay. */
export { seededRandom } from "../../../compiler/sample/random.js";

export const SPACES_DIR = "spaces";

/** Every space file of the repo, by file name. */
export function spaceFiles(): string[] {
  return readdirSync(SPACES_DIR).filter((f) => f.endsWith(".figs")).sort();
}

/** Sizes that build and run quickly in tfjs on the cpu backend; every other space is compared without tfjs. */
export const CPU_SIZED: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  "mnist_convnet.figs": {},
  "one_shot.figs": { size: "28", F: "8", cells: "4", blocks: "2" },
};

export function compileSpace(path: string, set: Readonly<Record<string, string>> = {}, convention: CostConvention = "keras"): Ir {
  const result = compile({ path, set }, { convention });
  if (!result.ir) throw new Error(`${path} does not compile: ${result.diagnostics.map((d) => d.message).join("; ")}`);
  return result.ir;
}

export function compileText(text: string, convention: CostConvention = "keras"): ReturnType<typeof compile> {
  return compile({ path: "pruned.figs", text }, { convention });
}

export function spacePath(file: string): string {
  return join(SPACES_DIR, file);
}


export async function useCpu(): Promise<void> {
  await tf.setBackend("cpu");
  await tf.ready();
}

export function relativeError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.max(1, Math.abs(expected));
}
