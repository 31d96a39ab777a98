// Side-by-side training benchmark: N1 in figs/tfjs vs N1 in PyTorch, at equal
// thread counts, each measurement in its own process.
//   npx tsx bench/train-vs-pytorch/run.ts [--threads 1,2] [--steps 20] [--warmup 3] [--rounds 1] [--backend auto]
// With --rounds N the two run alternately N times and each keeps its best
// round (lowest median step), which filters out bursts of load from other
// processes on a shared machine.
import { spawnSync } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { flag, lastJsonLine, type Measurement } from "./measure.js";
import { N1_PARAMS } from "./n1.js";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "../..");
// Debian's interpreter, not whatever python3 is first on PATH (pyenv etc.).
const PYTHON = "/usr/bin/python3";

function hasTorch(): boolean {
  return spawnSync(PYTHON, ["-c", "import torch"], { stdio: "ignore" }).status === 0;
}

function ensureTorch(): boolean {
  if (hasTorch()) return true;
  console.log("PyTorch missing: apt-get install -y python3-torch");
  spawnSync("apt-get", ["install", "-y", "python3-torch"], { stdio: "inherit" });
  return hasTorch();
}

function runChild(cmd: string, args: string[], threads: number): Measurement {
  const env = { ...process.env, OMP_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads), FIGS_THREADS: String(threads) };
  const r = spawnSync(cmd, args, { cwd: ROOT, env, encoding: "utf8", maxBuffer: 1 << 26 });
  const m = lastJsonLine(r.stdout ?? "");
  if (m === null) throw new Error(`${cmd} ${args.join(" ")} failed:\n${r.stderr}`);
  return m;
}

function best(a: Measurement | null, b: Measurement | null): Measurement | null {
  if (a === null) return b;
  if (b === null) return a;
  return b.stepMs < a.stepMs ? b : a;
}

function fmt(n: number, digits = 1): string {
  return n.toFixed(digits);
}

function row(m: Measurement, ref: Measurement | null): string {
  const ratio = (a: number, b: number | undefined): string => (b === undefined ? "-" : `${fmt(a / b, 2)}×`);
  return [
    m.impl.padEnd(10),
    String(m.threads).padStart(3),
    String(m.params).padStart(7),
    fmt(m.stepMs).padStart(9),
    fmt(m.forwardMs).padStart(8),
    fmt(m.imagesPerSec, 0).padStart(7),
    fmt(m.peakRssMb, 0).padStart(7),
    ratio(m.stepMs, ref?.stepMs).padStart(7),
    ratio(m.forwardMs, ref?.forwardMs).padStart(7),
    ratio(m.peakRssMb, ref?.peakRssMb).padStart(7),
  ].join(" ");
}

function main(): void {
  const args = process.argv.slice(2);
  const threadList = flag(args, "threads", "1,2").split(",").map(Number);
  const common = ["--steps", flag(args, "steps", "20"), "--warmup", flag(args, "warmup", "3")];
  const load = (): string => os.loadavg().map((l) => l.toFixed(2)).join(" ");
  console.log(`machine: ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? "?"}; load average ${load()}`);
  const torch = ensureTorch();
  if (!torch) console.log("PyTorch unavailable: figs measured alone");
  console.log("impl       thr  params  step ms  fwd ms   img/s  RSS MB  step/pt  fwd/pt  rss/pt");
  const backends = new Set<string>();
  for (const threads of threadList) {
    const t = ["--threads", String(threads), ...common];
    let ref: Measurement | null = null;
    let figsBest: Measurement | null = null;
    for (let round = 0; round < Math.max(1, Number(flag(args, "rounds", "1"))); round++) {
      if (torch) ref = best(ref, runChild(PYTHON, ["bench/pytorch/n1.py", ...t], threads));
      figsBest = best(figsBest, runChild(process.execPath, ["--import", "tsx", "bench/train-vs-pytorch/worker.ts", ...t, "--backend", flag(args, "backend", "auto")], threads));
    }
    const figs = figsBest;
    if (figs === null) throw new Error("no figs measurement");
    for (const m of [ref, figs]) {
      if (m !== null && m.params !== N1_PARAMS) throw new Error(`${m.impl}: ${m.params} parameters, expected ${N1_PARAMS}`);
    }
    if (ref !== null) console.log(row(ref, null) + `   (torch ${ref.version})`);
    console.log(row(figs, ref));
    if (figs.backend !== undefined) backends.add(figs.backend);
  }
  for (const b of backends) console.log(b);
  console.log(`parameters: both ${N1_PARAMS}; medians over ${flag(args, "steps", "20")} steps after ${flag(args, "warmup", "3")} warm-up; batch 64; best of ${flag(args, "rounds", "1")} round(s)`);
  console.log(`load average at the end: ${load()} (other work on the machine skews both columns)`);
}

main();
