/**
 * Compile benchmarks (numbers printed, nothing asserted):
 *  1. ResNet-152 text → IR with costs, median of warm runs in process (target < 50 ms);
 *  2. a generated space of ~100,000 primitive ops (target < 3 s, < 1 GB peak RSS);
 *  3. E[cost] at a new π for ResNet-152 (target < 0.5 ms);
 * and, for both spaces, the IR written as JSON and read back (a read checks
 * schema, references and recomputes the costs). Peak RSS is taken after the
 * generated space's compile, before its IR is serialised.
 * Run: npx tsx bench/compile/run.ts [--ops N]   (npm run bench:compile)
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { compile, type CompileResult, CostModel, parseIr, serializeIr } from "../../compiler/index.js";
import { renderDiagnostics } from "../../diagnostics/render.js";
import { generatedSpace } from "./generated-space.js";

const root = join(import.meta.dirname, "..", "..");

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

function timed<T>(run: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = run();
  return { value, ms: performance.now() - start };
}

function mustCompile(path: string, text: string): CompileResult {
  const result = compile({ path, text });
  if (!result.ir)
    throw new Error(`${path} did not compile:\n${renderDiagnostics(result.diagnostics, (p) => result.sources.get(p))}`);
  return result;
}

/** The IR checks of every read, costs included (a file that fails them is a bug here). */
function mustRead(text: string): void {
  const read = parseIr(text, "bench.ir.json");
  if (!read.ir) throw new Error(`the IR did not read back:\n${read.diagnostics.map((d) => d.message).join("\n")}`);
}

/** spaces/resnet152.figs when it exists, else the same network written here. */
function resnet152Text(): { path: string; text: string } {
  const path = join(root, "spaces", "resnet152.figs");
  if (existsSync(path)) return { path, text: readFileSync(path, "utf8") };
  const text = `
block bottleneck(width: int, stride: int = 1) {
  residual {
    conv(1, width) -> bn -> relu -> conv(3, width, stride: stride) -> bn -> relu -> conv(1, width * 4) -> bn
  } shortcut {
    conv(1, width * 4, stride: stride) -> bn
  } -> relu
}
block identity_bottleneck(width: int) {
  residual { conv(1, width) -> bn -> relu -> conv(3, width) -> bn -> relu -> conv(1, width * 4) -> bn } -> relu
}
space resnet152(classes: int = 1000) {
  input(224, 224, 3)
  conv(7, 64, stride: 2) as stem -> bn -> relu -> maxpool(3, stride: 2)
  for stage in [[64, 3, 1], [128, 8, 2], [256, 36, 2], [512, 3, 2]] {
    bottleneck(stage[0], stride: stage[2])
    for i in 1..stage[1] { identity_bottleneck(stage[0]) }
  }
  global_avgpool -> dense(classes) fixed as fc
}
`;
  return { path: "bench/resnet152.figs", text };
}

function benchResnet152(): CompileResult {
  const { path, text } = resnet152Text();
  for (let i = 0; i < 3; i++) mustCompile(path, text);
  const runs = Array.from({ length: 15 }, () => timed(() => mustCompile(path, text)));
  const result = runs[0]!.value;
  const ir = result.ir!;
  console.log(
    `resnet152 (${path.replace(`${root}/`, "")}): ${ir.nodes.length} nodes, ${ir.groups.length} groups, ` +
      `${ir.costs.full.params.toLocaleString("en-US")} params, ${ir.costs.full.madds.toLocaleString("en-US")} madds`,
  );
  console.log(
    `  text → IR with costs, median of ${runs.length} warm runs: ` +
      `${median(runs.map((r) => r.ms)).toFixed(1)} ms (target < 50 ms)`,
  );
  const serialize = Array.from({ length: 5 }, () => timed(() => serializeIr(ir)).ms);
  console.log(`  IR schema check + JSON text: ${median(serialize).toFixed(1)} ms`);
  const irText = serializeIr(ir).text ?? "";
  const read = Array.from({ length: 5 }, () => timed(() => mustRead(irText)).ms);
  console.log(`  IR read back (JSON, schema, references, costs recomputed): ${median(read).toFixed(1)} ms`);
  return result;
}

function benchExpectation(result: CompileResult): void {
  const { plan, cost } = result.stages!;
  const model = new CostModel(plan.groups, cost);
  const pis = Array.from({ length: 8 }, (_, k) =>
    Float64Array.from({ length: model.pi.length }, (_, i) => ((i * 7919 + k * 104729) % 1000) / 1000),
  );
  let sink = 0;
  for (let i = 0; i < 200; i++) sink += model.expected(pis[i % pis.length]!).params;
  const runs = Array.from({ length: 2000 }, (_, i) => timed(() => model.expected(pis[i % pis.length]!)).ms);
  console.log(
    `  E[cost] at a new π (${model.pi.length} mask variables): ` +
      `median ${(median(runs) * 1000).toFixed(1)} µs (target < 500 µs)${sink > 0 ? "" : "!"}`,
  );
}

function benchGenerated(ops: number): void {
  const text = generatedSpace(ops);
  const { value: result, ms } = timed(() => mustCompile("bench/generated.figs", text));
  const ir = result.ir!;
  const peakMb = process.resourceUsage().maxRSS / 1024;
  const { value: serialized, ms: serializeMs } = timed(() => serializeIr(ir));
  const { ms: readMs } = timed(() => mustRead(serialized.text ?? ""));
  console.log(`generated space: ${ir.nodes.length.toLocaleString("en-US")} primitive ops, ${ir.groups.length} groups`);
  console.log(
    `  text → IR with costs: ${ms.toFixed(0)} ms (target < 3000 ms); ` +
      `peak RSS ${peakMb.toFixed(0)} MB (target < 1024 MB)`,
  );
  console.log(`  IR to JSON text: ${serializeMs.toFixed(0)} ms; read back: ${readMs.toFixed(0)} ms`);
}

const opsFlag = process.argv.indexOf("--ops");
const ops = opsFlag >= 0 ? Number(process.argv[opsFlag + 1]) : 100_000;
const resnet = benchResnet152();
benchExpectation(resnet);
benchGenerated(ops);
