/**
 * Does the λ controller land `--target` by itself? Runs `figs search` (the
 * CLI's main, in process) on the demo's space and data for three targets and
 * prints, for each, the cost the export would have from the search alone
 * (widths ⌊Σπ⌋ of the final ν, no calibration), the calibration shift δ the
 * export then applied, the exported cost, and both errors
 * (docs/search.md "Budgets").
 *
 *   npx tsx bench/search/targets.ts                      # params=20k params=40k madds=1.5M, 300 steps
 *   npx tsx bench/search/targets.ts params=60k --steps 150 --seed 2
 *
 * A search takes about 30–60 s on a 2-core machine; the load average is
 * printed because the machine may be shared.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../cli/main.js";
import type { CliIo } from "../../cli/io.js";
import type { Ir } from "../../compiler/index.js";
import type { ArchJson } from "../../runtime/export/arch-json.js";
import { compileRunSpace } from "../../cli/inputs/index.js";
import {
  exportedAt,
  loadSearchedSupernet,
  parseTarget,
  readRunConfig,
  type SearchCost,
} from "../../runtime/search/index.js";

const SPACE = "spaces/mnist_convnet.figs";
const SET = "width=16,hidden=64";
const LIMIT = "10000";
const DEFAULT_TARGETS = ["params=20k", "params=40k", "madds=1.5M"];

interface Landing {
  readonly target: string;
  readonly value: number;
  readonly controller: number;
  readonly shift: number;
  readonly exported: number;
  readonly lambda: number | null;
  readonly seconds: number;
}

/** The CLI's streams, kept in memory: the progress bar would only clutter the table. */
function quietIo(): { io: CliIo; stdout: () => string; stderr: () => string } {
  let out = "";
  let err = "";
  const io: CliIo = {
    stdout: { write: (text) => void (out += text), isTTY: false },
    stderr: { write: (text) => void (err += text), isTTY: false },
    cwd: process.cwd(),
    env: process.env,
    readStdin: () => Promise.resolve(new Uint8Array()),
  };
  return { io, stdout: () => out, stderr: () => err };
}

/** The export the search alone would give: widths ⌊Σπ⌋ of the last checkpoint's ν, unshifted. */
async function controllerCost(dir: string, cost: SearchCost): Promise<number> {
  const config = readRunConfig(dir);
  if (!config.ok) throw new Error(config.diagnostic.message);
  const ir = compileRunSpace(config.value, dir).ir as Ir;
  const loaded = await loadSearchedSupernet(ir, config.value.settings, dir);
  if (!loaded.trainer) throw new Error(loaded.diagnostic?.message ?? "no checkpoint");
  try {
    return exportedAt(ir, loaded.trainer.logitValues(), cost).cost;
  } finally {
    loaded.trainer.dispose();
  }
}

async function land(target: string, steps: string, seed: string, root: string): Promise<Landing> {
  const read = parseTarget(target);
  if (!read.ok) throw new Error(read.diagnostic.message);
  const parsed = read.value;
  const dir = join(root, target.replace(/[^a-z0-9.]/gi, "-"));
  const started = performance.now();
  const memory = quietIo();
  const argv = [
    "search",
    SPACE,
    "--set",
    SET,
    "--limit",
    LIMIT,
    "--target",
    target,
    "--steps",
    steps,
    "--seed",
    seed,
    "--out",
    dir,
  ];
  const code = await main(argv, memory.io);
  if (code !== 0) throw new Error(`figs ${argv.join(" ")} exited ${code}:\n${memory.stderr()}`);
  const seconds = (performance.now() - started) / 1000;
  const arch = JSON.parse(readFileSync(join(dir, "export", "arch.json"), "utf8")) as ArchJson & {
    search: { calibrationShift: number; finalLambda: number | null };
  };
  return {
    target,
    value: parsed.value,
    controller: await controllerCost(dir, parsed.cost),
    shift: arch.search.calibrationShift,
    exported: arch.costs.torch[parsed.cost],
    lambda: arch.search.finalLambda,
    seconds,
  };
}

function percent(cost: number, target: number): string {
  const error = (100 * (cost - target)) / target;
  return `${error >= 0 ? "+" : ""}${error.toFixed(1)}%`;
}

function row(l: Landing): string {
  const lambda = l.lambda === null ? "—" : l.lambda.toExponential(2);
  const cells = [
    l.target,
    `${l.controller} (${percent(l.controller, l.value)})`,
    l.shift.toFixed(3),
    `${l.exported} (${percent(l.exported, l.value)})`,
    lambda,
    l.seconds.toFixed(0),
  ];
  return `| ${cells.join(" | ")} |`;
}

function option(args: string[], name: string, fallback: string): string {
  const at = args.indexOf(name);
  if (at < 0) return fallback;
  const [value] = args.splice(at, 2).slice(1);
  return value ?? fallback;
}

async function run(): Promise<void> {
  const args = process.argv.slice(2);
  const steps = option(args, "--steps", "300");
  const seed = option(args, "--seed", "1");
  const targets = args.length > 0 ? args : DEFAULT_TARGETS;
  const root = mkdtempSync(join(tmpdir(), "figs-targets-"));
  console.log(
    `${new Date().toISOString()}, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  console.log(`figs search ${SPACE} --set ${SET} --limit ${LIMIT} --steps ${steps} --seed ${seed} --target …`);
  console.log("| target | controller alone (δ = 0) | calibration δ | exported | final λ | s |");
  console.log("|---|---|---|---|---|---|");
  const landings: Landing[] = [];
  try {
    for (const target of targets) {
      const landing = await land(target, steps, seed, root);
      landings.push(landing);
      console.log(row(landing));
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  const worst = Math.max(...landings.map((l) => Math.abs(l.controller - l.value) / l.value));
  console.log(
    `controller alone: worst error ${(100 * worst).toFixed(1)}% (tolerance ±5%); load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
}

await run();
