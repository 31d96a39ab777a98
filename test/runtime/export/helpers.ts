// Shared by the emit, cost and export tests: compiling spaces, seeded randomness, the cpu backend.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { compile, type CostConvention, type Ir } from "../../../compiler/index.js";
/** The project's one small seeded generator (mulberry32), so runs replay. */
export { seededRandom } from "../../../compiler/sample/random.js";

export const SPACES_DIR = "spaces";
export const EXAMPLES_DIR = "examples";

/** Every space file of the repo, by file name. */
export function spaceFiles(): string[] {
  return readdirSync(SPACES_DIR)
    .filter((f) => f.endsWith(".figs"))
    .sort();
}

/** Every space file of the repo, spaces/ then examples/, as paths from the repo root. */
export function spaceAndExampleFiles(): string[] {
  const figsIn = (dir: string): string[] =>
    readdirSync(dir)
      .filter((f) => f.endsWith(".figs"))
      .sort()
      .map((f) => join(dir, f));
  return [...figsIn(SPACES_DIR), ...figsIn(EXAMPLES_DIR)];
}

export interface EmittedSize {
  readonly set: Readonly<Record<string, string>>;
  /** How many of the exactness test's random width assignments also build the tfjs model. */
  readonly models: number;
}

const SMALL_IMAGES = { size: "32", classes: "10" } as const;

/**
 * Where the exactness test builds every space file's pruned tfjs model for
 * countParams(): 32×32 inputs and 10 classes where the file has those
 * parameters (building a model allocates and initialises its weights, and a
 * 1000-class head alone is millions of them), and fewer models for the spaces
 * whose literal widths still make a model of millions of weights (about a
 * second each for ResNet-152 on the cpu backend). A file missing here fails
 * the test, so a new space cannot skip the check.
 */
export const EMITTED: Readonly<Record<string, EmittedSize>> = {
  "spaces/fbnet.figs": { set: SMALL_IMAGES, models: 6 },
  "spaces/fbnet_b.figs": { set: SMALL_IMAGES, models: 12 },
  "spaces/fbnet_c.figs": { set: SMALL_IMAGES, models: 12 },
  "spaces/mnist_convnet.figs": { set: {}, models: 50 },
  "spaces/mobilenet_v2.figs": { set: SMALL_IMAGES, models: 50 },
  "spaces/mobilenet_v3.figs": { set: SMALL_IMAGES, models: 12 },
  "spaces/efficientnet.figs": { set: SMALL_IMAGES, models: 12 },
  "spaces/one_shot.figs": { set: { size: "28", F: "8", cells: "4", blocks: "2", classes: "10" }, models: 50 },
  "spaces/resnet.figs": { set: SMALL_IMAGES, models: 12 },
  "spaces/resnet152.figs": { set: SMALL_IMAGES, models: 6 },
  "spaces/resnet50.figs": { set: SMALL_IMAGES, models: 12 },
  "spaces/shufflenet_v2.figs": { set: SMALL_IMAGES, models: 12 },
  "examples/mbconv.figs": { set: {}, models: 50 },
  "examples/one_shot_cell.figs": { set: {}, models: 50 },
  "examples/resnet_bottleneck.figs": { set: {}, models: 50 },
};

/** Sizes that build and run quickly in tfjs on the cpu backend; every other space is compared without tfjs. */
export const CPU_SIZED: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  "mnist_convnet.figs": {},
  "one_shot.figs": { size: "28", F: "8", cells: "4", blocks: "2" },
};

export function compileSpace(
  path: string,
  set: Readonly<Record<string, string>> = {},
  convention: CostConvention = "keras",
): Ir {
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
