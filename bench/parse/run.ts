// Parse benchmark: generates a realistic .figs file (many definitions, default
// 1 MB), parses it to an AST several times after a warm-up, and prints the
// size, the median time and MB/s, and peak memory. Target: under 1 s per MB.
//   npx tsx bench/parse/run.ts [--mb 1] [--runs 7] [--warmup 2] [--out file.figs]
import { writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { parse } from "../../grammar/parse.js";
import { generateFigsSource } from "./generate-source.js";

const TARGET_SECONDS_PER_MB = 1;

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

function stringOption(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Parses once; fails loudly if the generated file does not parse, since the numbers would mean nothing. */
function timedParse(text: string): { seconds: number; cpuSeconds: number; heapMB: number } {
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  const result = parse(text, "bench.figs");
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  if (!result.ast || result.diagnostics.length > 0) {
    throw new Error(`the generated file did not parse: ${result.diagnostics[0]?.message ?? "no AST"}`);
  }
  return { seconds, cpuSeconds, heapMB: process.memoryUsage().heapUsed / 2 ** 20 };
}

/** A full garbage collection without starting node with --expose-gc, to measure what the AST really keeps alive. */
function collectGarbage(): void {
  setFlagsFromString("--expose-gc");
  const gc: unknown = runInNewContext("gc");
  if (typeof gc === "function") gc();
}

/** Heap held by one parse result (the AST and its source), after collecting everything else. */
function retainedHeapMB(text: string): number {
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  const result = parse(text, "bench.figs");
  collectGarbage();
  const after = process.memoryUsage().heapUsed;
  return result.ast ? (after - before) / 2 ** 20 : Number.NaN;
}

function main(): void {
  const megabytes = option("mb", 1);
  const runs = Math.round(option("runs", 7));
  const warmup = Math.round(option("warmup", 2));
  const text = generateFigsSource(megabytes * 2 ** 20);
  const sizeMB = Buffer.byteLength(text, "utf8") / 2 ** 20;
  const out = stringOption("out");
  if (out) writeFileSync(out, text);
  for (let i = 0; i < warmup; i++) timedParse(text);
  const measured = Array.from({ length: runs }, () => timedParse(text));
  const seconds = median(measured.map((m) => m.seconds));
  const cpuSeconds = median(measured.map((m) => m.cpuSeconds));
  const peakHeapMB = Math.max(...measured.map((m) => m.heapMB));
  const astHeapMB = retainedHeapMB(text);
  const maxRssMB = process.resourceUsage().maxRSS / 1024;
  const summary = {
    sizeMB: round(sizeMB),
    lines: text.split("\n").length,
    runs,
    medianSeconds: round(seconds),
    medianCpuSeconds: round(cpuSeconds),
    mbPerSecond: round(sizeMB / seconds),
    peakHeapMB: round(peakHeapMB),
    astHeapMB: round(astHeapMB),
    maxRssMB: round(maxRssMB),
    targetMet: seconds / sizeMB < TARGET_SECONDS_PER_MB,
    loadAverage: round(loadavg()[0] ?? 0),
  };
  console.log(
    `parse: ${summary.sizeMB} MB (${summary.lines} lines), median of ${runs} runs after ${warmup} warm-up: ` +
      `${summary.medianSeconds} s = ${summary.mbPerSecond} MB/s`,
  );
  console.log(
    `memory: heap kept by the AST ${summary.astHeapMB} MB, peak heap after a parse ${summary.peakHeapMB} MB, ` +
      `max RSS ${summary.maxRssMB} MB`,
  );
  console.log(
    `cpu: median ${summary.medianCpuSeconds} s per parse; machine load average ${summary.loadAverage} ` +
      "(on a shared machine, wall time above the cpu time is waiting)",
  );
  console.log(`target < ${TARGET_SECONDS_PER_MB} s per MB: ${summary.targetMet ? "met" : "missed"}`);
  console.log(JSON.stringify(summary));
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

main();
