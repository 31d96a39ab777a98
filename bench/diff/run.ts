/**
 * `figs diff` of three spaces at 10,000 samples each (target: under 5 s for
 * the sampling and statistics, which is what `figs diff` adds to compiling).
 * Run: npx tsx bench/diff/run.ts [--samples N] [--set size=32,classes=10]
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { compile } from "../../compiler/index.js";
import { diffSpaces, DEFAULT_DIFF_OPTIONS, formatDiffReport, renderDiffSvg, type DiffSpace } from "../../compiler/diff/index.js";
import { parseAssignments } from "../../cli/commands/compile.js";

const root = join(import.meta.dirname, "..", "..");
const SPACES: readonly [string, Record<string, string>][] = [
  ["spaces/one_shot.figs", {}],
  ["spaces/fbnet.figs", {}],
  ["spaces/resnet.figs", { depth: "50" }],
];

function compileSpaces(overrides: Record<string, string>): DiffSpace[] {
  return SPACES.map(([path, set]) => {
    const result = compile({ path: join(root, path), set: { ...set, ...overrides } });
    if (!result.ir) throw new Error(`${path} does not compile: ${result.diagnostics.map((d) => d.message).join("; ")}`);
    return { label: result.ir.space, ir: result.ir };
  });
}

function seconds(start: bigint): string {
  return (Number(process.hrtime.bigint() - start) / 1e9).toFixed(2);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { samples: { type: "string" }, set: { type: "string" } } });
  const samples = Number(values.samples ?? 10_000);
  const overrides = parseAssignments(values.set ? [values.set] : []);
  if (typeof overrides === "string") throw new Error(overrides);
  const compileStart = process.hrtime.bigint();
  const spaces = compileSpaces(overrides);
  console.log(`compiled ${spaces.map((s) => `${s.label} (${s.ir.nodes.length} nodes, ${s.ir.groups.length} groups)`).join(", ")} in ${seconds(compileStart)} s`);
  const diffStart = process.hrtime.bigint();
  const { report, samples: sampled } = diffSpaces(spaces, { ...DEFAULT_DIFF_OPTIONS, samples });
  const diffTime = seconds(diffStart);
  const svgStart = process.hrtime.bigint();
  const svg = await renderDiffSvg(report, sampled);
  console.log(`diff of ${spaces.length} spaces x ${samples.toLocaleString("en-US")} samples: ${diffTime} s (target < 5 s); SVG (${(svg.length / 1024).toFixed(0)} KiB) in ${seconds(svgStart)} s\n`);
  console.log(formatDiffReport(report));
}

await main();
