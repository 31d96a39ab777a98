/**
 * Start-up of the `figs` command against bare Node (numbers printed; the
 * targets are checked here, never in unit tests). Every command runs N times,
 * interleaved with the others so load on the machine hits them alike; the
 * ratio is a command's median wall time over the median of `node -e 0`.
 *
 *   figs --version                     ≤ 3× bare Node
 *   figs check examples/mbconv.figs    ≤ 5×
 *   figs cost spaces/resnet152.figs    ≤ 5×
 *
 * It times the bundle `npm run build` writes (dist/bundle/figs.js, what
 * `bin.figs` runs) and, for comparison, tsc's unbundled dist/cli/main.js and
 * any other entry given with --compare (an older checkout's, say).
 * Run: npx tsx bench/startup/run.ts [--runs N] [--compare ENTRY.js…]   (npm run bench:startup)
 */
import { existsSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { measureInterleaved, type Subject } from "./measure.js";
import { formatReport, type Target } from "./report.js";

const ROOT = join(import.meta.dirname, "..", "..");
const BUNDLE = join(ROOT, "dist", "bundle", "figs.js");
const UNBUNDLED = join(ROOT, "dist", "cli", "main.js");

const BARE: Subject = { name: "node -e 0", args: ["-e", "0"] };

function figsSubjects(entry: string, label: string): Subject[] {
  return [
    { name: `${label} --version`, args: [entry, "--version"] },
    { name: `${label} check examples/mbconv.figs`, args: [entry, "check", "examples/mbconv.figs"] },
    { name: `${label} cost spaces/resnet152.figs`, args: [entry, "cost", "spaces/resnet152.figs"] },
  ];
}

function main(): number {
  const { values } = parseArgs({
    options: { runs: { type: "string", default: "21" }, compare: { type: "string", multiple: true, default: [] } },
  });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) return fail(`--runs must be a positive integer, not '${values.runs}'`);
  if (!existsSync(BUNDLE)) return fail(`${BUNDLE} does not exist; run 'npm run build' first`);
  const bundled = figsSubjects(BUNDLE, "figs");
  const missing = values.compare.find((entry) => !existsSync(entry));
  if (missing !== undefined) return fail(`${missing} does not exist`);
  const others = [UNBUNDLED, ...values.compare.map((entry) => resolve(entry))].filter(existsSync);
  const compared = others.flatMap((entry) => figsSubjects(entry, `node ${shortPath(entry)}`));
  const before = loadavg();
  const measured = measureInterleaved([BARE, ...bundled, ...compared], { runs, cwd: ROOT });
  if (!measured.ok) return fail(measured.message);
  const targets: Target[] = [
    { subject: bundled[0]!.name, maxRatio: 3 },
    { subject: bundled[1]!.name, maxRatio: 5 },
    { subject: bundled[2]!.name, maxRatio: 5 },
  ];
  const machine = { cores: availableParallelism(), loadBefore: before, loadAfter: loadavg(), node: process.version };
  process.stdout.write(formatReport({ baseline: BARE.name, timings: measured.timings, targets, runs, machine }));
  return 0;
}

function shortPath(path: string): string {
  const inside = relative(ROOT, resolve(path));
  return inside.startsWith("..") ? resolve(path) : inside;
}

function fail(message: string): number {
  process.stderr.write(`bench:startup: ${message}\n`);
  return 1;
}

process.exitCode = main();
