/**
 * `figs diff` of three spaces at 10,000 samples each, against the issue's
 * target of 5 s. First the whole command, run in process through the CLI
 * entry (`main(["diff", …])`: reading and compiling the three spaces,
 * sampling, statistics and the report): with the text report, with --json,
 * and with --svg; then as a process of its own (from the sources through tsx,
 * and the build in dist/ if there is one), which adds loading the CLI. Then,
 * for a breakdown, its parts alone: compiling, sampling + statistics,
 * rendering the SVG. The text report is printed verbatim last.
 * Run: npx tsx bench/diff/run.ts [--samples N] [--set size=32,classes=10]
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { compile, DEFAULT_DIFF_OPTIONS, type DiffSpace, diffSpaces, renderDiffSvg } from "../../compiler/index.js";
import { parseAssignments } from "../../cli/compile-args.js";
import type { CliIo } from "../../cli/io.js";

const TARGET_SECONDS = 5;
const root = join(import.meta.dirname, "..", "..");
// resnet.figs is ResNet-50 by default.
const SPACES = ["spaces/one_shot.figs", "spaces/fbnet.figs", "spaces/resnet.figs"] as const;

interface Run {
  readonly exit: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
}

/** An io like the real binary's, with the repo as working folder, collecting the output instead of printing it. */
function captureIo(): { io: CliIo; stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: CliIo = {
    stdout: { write: (text) => void stdout.push(text), isTTY: false },
    stderr: { write: (text) => void stderr.push(text), isTTY: false },
    cwd: root,
    env: process.env,
    readStdin: async () => new Uint8Array(),
  };
  return { io, stdout, stderr };
}

type Main = (argv: readonly string[], io: CliIo) => Promise<number>;

async function timeCommand(main: Main, argv: readonly string[]): Promise<Run> {
  const { io, stdout, stderr } = captureIo();
  const start = process.hrtime.bigint();
  const exit = await main(argv, io);
  return { exit, stdout: stdout.join(""), stderr: stderr.join(""), seconds: since(start) };
}

function since(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function verdict(seconds: number): string {
  return `${seconds.toFixed(2)} s  ${seconds < TARGET_SECONDS ? "under" : "OVER"} the ${TARGET_SECONDS} s target`;
}

/** The three end-to-end runs; returns the text report. */
async function endToEnd(main: Main, argv: readonly string[], svgPath: string): Promise<string> {
  const variants: readonly [string, readonly string[]][] = [
    ["text report", []],
    ["--json", ["--json"]],
    ["--svg OUT.svg", ["--svg", svgPath]],
  ];
  console.log(
    `the whole command, in process (main(["diff", …]) after the CLI is loaded), target < ${TARGET_SECONDS} s:`,
  );
  let text = "";
  for (const [label, extra] of variants) {
    const run = await timeCommand(main, [...argv, ...extra]);
    if (run.exit !== 0) throw new Error(`figs ${argv.join(" ")} ${extra.join(" ")} exited ${run.exit}:\n${run.stderr}`);
    console.log(`  ${label.padEnd(15)} ${verdict(run.seconds)}`);
    if (extra.length === 0) text = run.stdout;
  }
  return text;
}

/** How a process runs the CLI: its sources through tsx (transpiled at start-up), or the build of `npm run build`. */
type Launch = readonly string[];
const FROM_SOURCES: Launch = ["--import", "tsx", "cli/main.ts"];
const BUILT: Launch = ["dist/cli/main.js"];

/** Wall-clock seconds of `figs ARGV…` as its own process, as at a terminal. */
function processSeconds(launch: Launch, argv: readonly string[]): number {
  const start = process.hrtime.bigint();
  const child = spawnSync(process.execPath, [...launch, ...argv], {
    cwd: root,
    stdio: ["ignore", "ignore", "pipe"],
    encoding: "utf8",
  });
  const seconds = since(start);
  if (child.status !== 0)
    throw new Error(`figs ${argv.join(" ")} as a process exited ${child.status}:\n${child.stderr}`);
  return seconds;
}

const PROCESS_RUNS = 3;

/** Median, min and max of PROCESS_RUNS runs: a process's start-up varies with the machine's load. */
function processTimes(launch: Launch, argv: readonly string[]): { median: number; range: string } {
  const times = Array.from({ length: PROCESS_RUNS }, () => processSeconds(launch, argv)).sort((a, b) => a - b);
  return {
    median: times[Math.floor(times.length / 2)]!,
    range: `${times[0]!.toFixed(2)}–${times[times.length - 1]!.toFixed(2)} s`,
  };
}

/**
 * The text report as a process, beside `figs --version` (the start-up alone): from the sources, and
 * from dist/ when it is built (`figs` as installed runs dist/cli/main.js; it may be older than the sources).
 */
function asProcess(argv: readonly string[]): void {
  const launches: [string, Launch][] = [["node --import tsx cli/main.ts", FROM_SOURCES]];
  const built = join(root, BUILT[0]!);
  if (existsSync(built)) launches.push([`node dist/cli/main.js (built ${statSync(built).mtime.toISOString()})`, BUILT]);
  for (const [label, launch] of launches) {
    const whole = processTimes(launch, argv);
    const startup = processTimes(launch, ["--version"]);
    console.log(`as a process of its own, ${label}, text report (median of ${PROCESS_RUNS} runs):`);
    console.log(`  ${"whole".padEnd(15)} ${verdict(whole.median)} (${whole.range})`);
    console.log(`  ${"start-up alone".padEnd(15)} ${startup.median.toFixed(2)} s (${startup.range}; figs --version)`);
  }
}

function compileSpaces(overrides: Record<string, string>): DiffSpace[] {
  return SPACES.map((path) => {
    const result = compile({ path: join(root, path), set: overrides });
    if (!result.ir) throw new Error(`${path} does not compile: ${result.diagnostics.map((d) => d.message).join("; ")}`);
    return { label: result.ir.space, ir: result.ir };
  });
}

/** The parts of one run, each timed alone through the library. */
async function parts(overrides: Record<string, string>, samples: number): Promise<void> {
  const compileStart = process.hrtime.bigint();
  const spaces = compileSpaces(overrides);
  const compileTime = since(compileStart);
  const diffStart = process.hrtime.bigint();
  const { report, samples: sampled } = diffSpaces(spaces, { ...DEFAULT_DIFF_OPTIONS, samples });
  const diffTime = since(diffStart);
  const svgStart = process.hrtime.bigint();
  const svg = await renderDiffSvg(report, sampled);
  const svgTime = since(svgStart);
  const shapes = spaces.map((s) => `${s.label} ${s.ir.nodes.length} nodes, ${s.ir.groups.length} groups`).join("; ");
  console.log(
    `its parts, alone: compiling the spaces (${shapes}) ${compileTime.toFixed(2)} s; ` +
      `sampling + statistics ${diffTime.toFixed(2)} s; ` +
      `SVG (${(svg.length / 1024).toFixed(0)} KiB) ${svgTime.toFixed(2)} s`,
  );
}

async function run(): Promise<void> {
  const { values } = parseArgs({ options: { samples: { type: "string" }, set: { type: "string" } } });
  const samples = Number(values.samples ?? 10_000);
  const parsed = parseAssignments(values.set ? [values.set] : []);
  if (!parsed.ok) throw new Error(parsed.diagnostic.message);
  const overrides = parsed.value;
  const argv = ["diff", ...SPACES, "--samples", String(samples), ...(values.set ? ["--set", values.set] : [])];
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
  console.log(`${new Date().toISOString()}, node ${process.version}, ${cpus().length} cores, load average ${load}`);
  console.log(`figs ${argv.join(" ")}`);
  const importStart = process.hrtime.bigint();
  const { main } = await import("../../cli/main.js");
  console.log(
    `loading the CLI's modules: ${since(importStart).toFixed(2)} s (once per process, not in the times below)\n`,
  );
  const scratch = mkdtempSync(join(tmpdir(), "figs-bench-diff-"));
  try {
    const text = await endToEnd(main, argv, join(scratch, "diff.svg"));
    asProcess(argv);
    await parts(overrides, samples);
    console.log(`\n${text}`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

await run();
