// Side-by-side training benchmark: N1 and the compiled One-Shot, FBNet,
// ResNet-18@64 and MobileNetV2@96 (spaces.ts) in figs/tfjs vs PyTorch, at
// equal thread counts, each measurement in its own process. For a compiled
// space, figs's search step of its masked supernet is measured too, beside
// the plain step of the same full-width net (the masks' overhead). Every row
// gives the step's effective GFLOP/s (6 × forward multiply-adds × batch: the
// forward pass, and twice it backward, counted as direct convolution) as a
// share of the machine's AVX2 peak at its nominal clock. Winograd layers do
// fewer multiplies than they are credited with, and the cores may run above
// the nominal clock, so a share can pass 100%.
//   npx tsx bench/train-vs-pytorch/run.ts [--nets n1,one_shot,fbnet,resnet18,mobilenet_v2] [--threads 1,2]
//     [--steps 20] [--warmup 3] [--rounds 1] [--backend auto] [--search 1]
// With --rounds N the two run alternately N times and each keeps its best
// round (lowest median step), which filters out bursts of load from other
// processes on a shared machine.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { flag, lastJsonLine, type Measurement } from "./measure.js";
import { N1_PARAMS, n1Madds } from "./n1.js";
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

/** fp32 FLOP/s one core can issue with AVX2: 2 FMA units × 8 lanes × 2 flops per cycle, at the reported clock. */
const FLOPS_PER_CYCLE = 2 * 8 * 2;
/** The clock Node reports, else /proc/cpuinfo's "cpu MHz" (the nominal clock: boost makes the true peak higher). */
function clockGHz(): number {
  const speed = os.cpus()[0]?.speed ?? 0;
  if (speed > 0) return speed / 1000;
  try {
    const mhz = /cpu MHz\s*:\s*([\d.]+)/.exec(readFileSync("/proc/cpuinfo", "utf8"));
    return mhz === null ? Number.NaN : Number(mhz[1]) / 1000;
  } catch {
    return Number.NaN;
  }
}
const peakGflops = (threads: number): number => threads * FLOPS_PER_CYCLE * clockGHz();

/** The step's FLOP/s: forward 2·madds per image, backward twice that. */
function stepGflops(net: NetPrograms, m: Measurement): number {
  return (6 * net.madds * net.batch) / (m.stepMs * 1e6);
}

function row(net: NetPrograms, m: Measurement, ref: Measurement | null): string {
  const ratio = (a: number, b: number | undefined): string => (b === undefined ? "-" : `${fmt(a / b, 2)}×`);
  const gflops = stepGflops(net, m);
  return [
    net.name.padEnd(12),
    m.impl.padEnd(11),
    String(m.threads).padStart(3),
    String(m.params).padStart(8),
    fmt(m.stepMs).padStart(9),
    fmt(m.forwardMs).padStart(8),
    fmt(m.imagesPerSec, 0).padStart(7),
    fmt(m.peakRssMb, 0).padStart(7),
    ratio(m.stepMs, ref?.stepMs).padStart(7),
    ratio(m.forwardMs, ref?.forwardMs).padStart(7),
    ratio(m.peakRssMb, ref?.peakRssMb).padStart(7),
    fmt(gflops).padStart(6),
    `${fmt((100 * gflops) / peakGflops(m.threads), 0)}%`.padStart(5),
  ].join(" ");
}

interface NetPrograms {
  readonly name: string;
  readonly params: number;
  /** Multiply-adds of one image's forward pass, and images per step. */
  readonly madds: number;
  readonly batch: number;
  /** A compiled space: its masked supernet's search step can be measured too. */
  readonly searchable: boolean;
  /** Steps measured when --steps is not given (fewer for the slowest nets). */
  readonly steps?: number;
  readonly torchArgs: string[];
  readonly figsArgs: string[];
}

/** The two programs of one net; a compiled space is compiled once here and both sides read its IR file. */
function programsOf(name: string): NetPrograms {
  if (name === "n1") {
    const common = { name, params: N1_PARAMS, madds: n1Madds(), batch: 64, searchable: false };
    return { ...common, torchArgs: ["bench/pytorch/n1.py"], figsArgs: [] };
  }
  const ir = writeSpaceIr(name);
  if ("problem" in ir) throw new Error(`${name}: ${ir.problem}`);
  console.log(
    `${name}: ${describeSpace(name)}, batch ${ir.batch} → ${ir.path} ` +
      `(IR: ${ir.params} parameters, ${ir.madds} multiply-adds per image at full width)`,
  );
  return {
    name,
    params: ir.params,
    madds: ir.madds,
    batch: ir.batch,
    searchable: true,
    ...(ir.steps !== undefined ? { steps: ir.steps } : {}),
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
  const steps = flag(args, "steps", String(net.steps ?? 20));
  const t = ["--threads", String(threads), "--steps", steps, "--warmup", flag(args, "warmup", net.steps ? "1" : "3")];
  const sized = [...t, "--batch", String(net.batch)];
  const search = net.searchable && flag(args, "search", "1") === "1";
  let ref: Measurement | null = null;
  let figs: Measurement | null = null;
  let searched: Measurement | null = null;
  for (let round = 0; round < Math.max(1, Number(flag(args, "rounds", "1"))); round++) {
    if (torch) ref = best(ref, runChild(PYTHON, [...net.torchArgs, ...sized], threads));
    const worker = [
      "--import",
      "tsx",
      "bench/train-vs-pytorch/worker.ts",
      ...net.figsArgs,
      ...sized,
      "--backend",
      flag(args, "backend", "auto"),
    ];
    figs = best(figs, runChild(process.execPath, worker, threads));
    if (search) searched = best(searched, runChild(process.execPath, [...worker, "--search", "1"], threads));
  }
  if (figs === null) throw new Error("no figs measurement");
  checkParams(net, [ref, figs, searched]);
  if (ref !== null) console.log(row(net, ref, null) + `   (torch ${ref.version})`);
  console.log(row(net, figs, ref));
  if (searched !== null) {
    const overhead = 100 * (searched.stepMs / figs.stepMs - 1);
    const verdict = overhead <= 15 ? "met" : "MISSED";
    console.log(
      row(net, searched, ref) + `   (masks: ${fmt(overhead, 0)}% over the plain step; target ≤ 15%: ${verdict})`,
    );
  }
  if (figs.backend !== undefined) backends.add(figs.backend);
}

function main(): void {
  const args = process.argv.slice(2);
  const threadList = flag(args, "threads", "1,2").split(",").map(Number);
  const nets = flag(args, "nets", "n1,one_shot,fbnet,resnet18,mobilenet_v2").split(",").map(programsOf);
  const load = (): string =>
    os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ");
  console.log(`machine: ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? "?"}; load average ${load()}`);
  const torch = ensureTorch();
  if (!torch) console.log("PyTorch unavailable: figs measured alone");
  console.log(
    `peak: ${FLOPS_PER_CYCLE} fp32 FLOP per cycle per core (2 AVX2 FMA units × 8 lanes × 2) × ` +
      `${fmt(clockGHz(), 2)} GHz (the reported nominal clock) = ${fmt(peakGflops(1))} GFLOP/s per thread, ` +
      `${fmt(peakGflops(2))} at 2; GF/s counts 6 × madds × batch per step as direct convolution, so ` +
      `Winograd layers and a boosted clock can take it past 100%`,
  );
  console.log(
    "net          impl        thr   params  step ms  fwd ms   img/s  RSS MB step/pt  fwd/pt  rss/pt  GF/s  peak",
  );
  const backends = new Set<string>();
  for (const net of nets) for (const threads of threadList) benchNet(net, threads, args, backends, torch);
  for (const b of backends) console.log(b);
  const counts = nets.map((n) => `${n.name} ${n.params}`).join(", ");
  const fewer = nets.filter((n) => n.steps !== undefined && !args.includes("--steps"));
  const fewerSteps = fewer.map((n) => `${n.name}: ${n.steps} after 1`).join(", ");
  console.log(
    `parameters equal on both sides: ${counts}; ` +
      `medians over ${flag(args, "steps", "20")} steps after ${flag(args, "warmup", "3")} warm-up ` +
      `(${fewerSteps || "every net"}); ` +
      `batch ${[...new Set(nets.map((n) => n.batch))].join(" or ")} (spaces.ts); ` +
      `best of ${flag(args, "rounds", "1")} round(s)`,
  );
  console.log(`load average at the end: ${load()} (other work on the machine skews both columns)`);
}

main();
