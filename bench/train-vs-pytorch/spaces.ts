// The compiled search spaces of the training bench, at CPU size: each is
// compiled by the real compiler and written as IR JSON, which both the tfjs
// worker (through runtime/emit) and bench/pytorch/ir_model.py build from.
import { mkdirSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { compile, serializeIr } from "../../compiler/index.js";
import { renderDiagnostics } from "../../diagnostics/render.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface BenchSpace {
  readonly file: string;
  readonly set: Readonly<Record<string, string>>;
  /** Images per step. */
  readonly batch: number;
  /** Steps measured unless --steps says otherwise (default 20). */
  readonly steps?: number;
}

/**
 * One-Shot and FBNet at 32×32×3 and 10 classes, batch 64. One-Shot is thinned
 * through its own width and depth parameters; FBNet has no width parameter,
 * so it runs as the FiGS variant (expansion-6 candidates of kernel 3 and 5
 * plus skip, section 3.3) at full FBNet widths. ResNet-18 at 64×64 and
 * MobileNetV2 at 96×96, batch 32: the input sizes users retrain at.
 */
export const BENCH_SPACES: Readonly<Record<string, BenchSpace>> = {
  one_shot: {
    file: "spaces/one_shot.figs",
    set: { size: "32", channels: "3", classes: "10", F: "8", cells: "4", blocks: "2" },
    batch: 64,
  },
  fbnet: {
    file: "spaces/fbnet.figs",
    set: { size: "32", channels: "3", classes: "10", figs_variant: "true" },
    batch: 64,
  },
  // Below 128 pixels the space's stem is CIFAR's 3×3 conv without downsampling: 2.2 G multiply-adds per image.
  resnet18: {
    file: "spaces/resnet.figs",
    set: { depth: "18", size: "64", channels: "3", classes: "10" },
    batch: 32,
    steps: 5,
  },
  mobilenet_v2: { file: "spaces/mobilenet_v2.figs", set: { size: "96", channels: "3", classes: "10" }, batch: 32 },
};

export function describeSpace(name: string): string {
  const space = BENCH_SPACES[name];
  if (space === undefined) return name;
  return `${space.file} --set ${Object.entries(space.set)
    .map(([k, v]) => `${k}=${v}`)
    .join(",")}`;
}

export type IrFile =
  | {
      readonly path: string;
      readonly params: number;
      readonly madds: number;
      readonly batch: number;
      readonly steps?: number;
    }
  | { readonly problem: string };

/** Compiles one bench space and writes its IR JSON to a temporary file; errors come back rendered. */
export function writeSpaceIr(name: string): IrFile {
  const space = BENCH_SPACES[name];
  if (space === undefined)
    return { problem: `unknown net ${name}; known: n1, ${Object.keys(BENCH_SPACES).join(", ")}` };
  const result = compile({ path: path.join(ROOT, space.file), set: space.set });
  if (result.ir === undefined) return { problem: renderDiagnostics(result.diagnostics, (p) => result.sources.get(p)) };
  const serialized = serializeIr(result.ir);
  if (serialized.text === undefined)
    return { problem: renderDiagnostics(serialized.diagnostics, (p) => result.sources.get(p)) };
  const dir = path.join(os.tmpdir(), "figs-train-bench");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.ir.json`);
  writeFileSync(file, serialized.text);
  const { params, madds } = result.ir.costs.full;
  return { path: file, params, madds, batch: space.batch, ...(space.steps ? { steps: space.steps } : {}) };
}
