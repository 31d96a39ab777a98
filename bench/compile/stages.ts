/**
 * Time of each compile stage (ratios matter; absolute numbers depend on load).
 * Run: npx tsx bench/compile/stages.ts [UNITS | FILE.figs]
 */
import { readFileSync } from "node:fs";
import { elaborate } from "../../compiler/elaborate/index.js";
import { placeMasks } from "../../compiler/masks/index.js";
import { costOfSpace } from "../../compiler/cost/index.js";
import { buildIr, serializeIr } from "../../compiler/ir/index.js";

const argument = process.argv[2] ?? "14286";
const units = Number(argument);
const text = Number.isNaN(units) ? readFileSync(argument, "utf8") : `
block unit(w: int) {
  residual { conv(1, w) -> bn -> relu -> conv(3, w) -> bn } -> relu
}
space generated(n: int = ${units}) {
  input(8, 8, 3)
  conv(3, 16) as stem -> bn -> relu
  for i in 0..n { unit(16) }
  global_avgpool -> dense(10) fixed
}
`;
function time<T>(label: string, run: () => T): T {
  const start = performance.now();
  const value = run();
  console.log(`${label}: ${(performance.now() - start).toFixed(0)} ms`);
  return value;
}
const path = Number.isNaN(units) ? argument : "generated.figs";
for (let warm = 0; warm < 3; warm++) elaborate({ path, text });
const elaborated = time("elaborate", () => elaborate({ path, text }));
const graph = elaborated.graph!;
const plan = time("masks", () => placeMasks(graph).plan!);
const cost = time("cost", () => costOfSpace(graph, plan));
const ir = time("build IR", () => buildIr(graph, plan, cost, elaborated.sources));
time("schema check + JSON text", () => serializeIr(ir));
