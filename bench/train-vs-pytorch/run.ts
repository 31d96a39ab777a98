// Side-by-side training benchmark: N1 and the compiled One-Shot and FBNet
// spaces (spaces.ts) in figs/tfjs vs PyTorch, at equal thread counts, each
// measurement in its own process.
//   npx tsx bench/train-vs-pytorch/run.ts [--nets n1,one_shot,fbnet] [--threads 1,2] [--steps 20] [--warmup 3]
//     [--rounds 1] [--backend auto]
// With --rounds N the two run alternately N times and each keeps its best
// round (lowest median step), which filters out bursts of load from other
// processes on a shared machine.
import { spawnSync } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { flag, lastJsonLine, type Measurement } from "./measure.js";
import { N1_PARAMS } from "./n1.js";
import { describeSpace, writeSpaceIr } from "./spaces.js";

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
  const env = {
    ...process.env,
    OMP_NUM_THREADS: String(threads),
    MKL_NUM_THREADS: String(threads),
    FIGS_THREADS: String(threads),
  };
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

function row(net: string, m: Measurement, ref: Measurement | null): string {
  const ratio = (a: number, b: number | undefined): string => (b === undefined ? "-" : `${fmt(a / b, 2)}×`);
  return [
    net.padEnd(9),
    m.impl.padEnd(10),
    String(m.threads).padStart(3),
    String(m.params).padStart(8),
    fmt(m.stepMs).padStart(9),
    fmt(m.forwardMs).padStart(8),
    fmt(m.imagesPerSec, 0).padStart(7),
    fmt(m.peakRssMb, 0).padStart(7),
    ratio(m.stepMs, ref?.stepMs).padStart(7),
    ratio(m.forwardMs, ref?.forwardMs).padStart(7),
    ratio(m.peakRssMb, ref?.peakRssMb).padStart(7),
  ].join(" ");
}

interface NetPrograms {
  readonly name: string;
  readonly params: number;
  readonly torchArgs: string[];
  readonly figsArgs: string[];
}

/** The two programs of one net; a compiled space is compiled once here and both sides read its IR file. */
function programsOf(name: string): NetPrograms {
  if (name === "n1") return { name, params: N1_PARAMS, torchArgs: ["bench/pytorch/n1.py"], figsArgs: [] };
  const ir = writeSpaceIr(name);
  if ("problem" in ir) throw new Error(`${name}: ${ir.problem}`);
  console.log(`${name}: ${describeSpace(name)} → ${ir.path} (IR: ${ir.params} parameters at full width)`);
  return {
    name,
    params: ir.params,
    torchArgs: ["bench/pytorch/ir_model.py", "--ir", ir.path],
    figsArgs: ["--ir", ir.path],
  };
}

/** Both sides must train the same network: equal trainable parameter counts (and equal to the IR's count). */
function checkParams(net: NetPrograms, ms: readonly (Measurement | null)[]): void {
  for (const m of ms) {
    if (m !== null && m.params !== net.params)
      throw new Error(`${net.name}: ${m.impl} has ${m.params} parameters, expected ${net.params}`);
  }
}

function benchNet(net: NetPrograms, threads: number, args: string[], backends: Set<string>, torch: boolean): void {
  const t = ["--threads", String(threads), "--steps", flag(args, "steps", "20"), "--warmup", flag(args, "warmup", "3")];
  let ref: Measurement | null = null;
  let figs: Measurement | null = null;
  for (let round = 0; round < Math.max(1, Number(flag(args, "rounds", "1"))); round++) {
    if (torch) ref = best(ref, runChild(PYTHON, [...net.torchArgs, ...t], threads));
    const worker = [
      "--import",
      "tsx",
      "bench/train-vs-pytorch/worker.ts",
      ...net.figsArgs,
      ...t,
      "--backend",
      flag(args, "backend", "auto"),
    ];
    figs = best(figs, runChild(process.execPath, worker, threads));
  }
  if (figs === null) throw new Error("no figs measurement");
  checkParams(net, [ref, figs]);
  if (ref !== null) console.log(row(net.name, ref, null) + `   (torch ${ref.version})`);
  console.log(row(net.name, figs, ref));
  if (figs.backend !== undefined) backends.add(figs.backend);
}

function main(): void {
  const args = process.argv.slice(2);
  const threadList = flag(args, "threads", "1,2").split(",").map(Number);
  const nets = flag(args, "nets", "n1,one_shot,fbnet").split(",").map(programsOf);
  const load = (): string =>
    os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ");
  console.log(`machine: ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? "?"}; load average ${load()}`);
  const torch = ensureTorch();
  if (!torch) console.log("PyTorch unavailable: figs measured alone");
  console.log("net       impl       thr   params  step ms  fwd ms   img/s  RSS MB  step/pt  fwd/pt  rss/pt");
  const backends = new Set<string>();
  for (const net of nets) for (const threads of threadList) benchNet(net, threads, args, backends, torch);
  for (const b of backends) console.log(b);
  const counts = nets.map((n) => `${n.name} ${n.params}`).join(", ");
  console.log(
    `parameters equal on both sides: ${counts}; ` +
      `medians over ${flag(args, "steps", "20")} steps after ${flag(args, "warmup", "3")} warm-up; ` +
      `batch 64; best of ${flag(args, "rounds", "1")} round(s)`,
  );
  console.log(`load average at the end: ${load()} (other work on the machine skews both columns)`);
}

main();
