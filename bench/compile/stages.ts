/**
 * Median time of each compile stage over warm runs. Under load the absolute
 * numbers move; the split between stages is what this is for.
 * Run: npx tsx bench/compile/stages.ts [UNITS | FILE.figs] [RUNS]
 */
import { readFileSync } from "node:fs";
import { buildIr, costOfSpace, elaborate, placeMasks, serializeIr } from "../../compiler/index.js";
import { generatedSpaceOfUnits } from "./generated-space.js";

const argument = process.argv[2] ?? "14286";
const runs = Number(process.argv[3] ?? 3);
const units = Number(argument);
const path = Number.isNaN(units) ? argument : "generated.figs";
const text = Number.isNaN(units) ? readFileSync(argument, "utf8") : generatedSpaceOfUnits(units);

const times = new Map<string, number[]>();
function time<T>(label: string, run: () => T): T {
  const start = performance.now();
  const value = run();
  times.set(label, [...(times.get(label) ?? []), performance.now() - start]);
  return value;
}

function pipeline(): void {
  const elaborated = time("elaborate", () => elaborate({ path, text }));
  const graph = elaborated.graph!;
  const plan = time("masks", () => placeMasks(graph).plan!);
  const cost = time("cost", () => costOfSpace(graph, plan));
  const ir = time("build IR", () => buildIr(graph, plan, cost, elaborated.sources));
  time("schema check + JSON text", () => serializeIr(ir));
}

pipeline(); // warm-up, not counted
times.clear();
for (let i = 0; i < runs; i++) pipeline();
for (const [label, values] of times) {
  const median = [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
  console.log(`${label}: ${median.toFixed(1)} ms (median of ${values.length})`);
}
