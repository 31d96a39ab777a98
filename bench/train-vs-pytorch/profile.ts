// Names the kernels that dominate one N1 forward pass and one training step:
//   npx tsx bench/train-vs-pytorch/profile.ts [--threads 1] [--backend auto]
//     [--ir /tmp/figs-train-bench/one_shot.ir.json [--search 1]] [--batch 64]
// (--ir profiles a compiled space's plain model instead of N1, --search 1 its masked supernet's
// search step beside it; run.ts writes the IR files;
// FIGS_PROFILE_TOP=N lists N kernels per phase, default 12.)
// (FIGS_NATIVE=0 profiles the wasm + JS-kernel fallback.) Times are from
// tf.profile; wrapper scopes of custom-gradient ops ("forward", "unnamed
// scope") include the kernels they call, so they are listed but not summed.
import * as tf from "@tensorflow/tfjs";
import { describeBackend, selectBackend } from "../../runtime/backend/select.js";
import { flag } from "./measure.js";
import { loadIrNet, makeIrTrainer, makeSearchTrainer } from "./ir-net.js";
import { buildN1, makeTrainer, type Trainer } from "./n1.js";

const WRAPPERS = new Set(["forward", "unnamed scope"]);

async function profile(label: string, fn: () => unknown): Promise<void> {
  const info = await tf.profile(async () => {
    await fn();
  });
  const byName = new Map<string, { ms: number; calls: number }>();
  for (const k of info.kernels) {
    const entry = byName.get(k.name) ?? { ms: 0, calls: 0 };
    entry.ms += typeof k.kernelTimeMs === "number" ? k.kernelTimeMs : 0;
    entry.calls++;
    byName.set(k.name, entry);
  }
  const total = [...byName].filter(([n]) => !WRAPPERS.has(n)).reduce((s, [, e]) => s + e.ms, 0);
  console.log(`\n${label}: ${info.kernels.length} kernel calls, ${total.toFixed(1)} ms in kernels`);
  for (const [name, e] of [...byName]
    .sort((a, b) => b[1].ms - a[1].ms)
    .slice(0, Number(process.env["FIGS_PROFILE_TOP"] ?? 12))) {
    const share = WRAPPERS.has(name) ? "  (wrapper)" : `${((100 * e.ms) / total).toFixed(0).padStart(4)}%`;
    console.log(`  ${name.padEnd(38)}${e.ms.toFixed(1).padStart(8)} ms ${String(e.calls).padStart(5)} calls ${share}`);
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const threads = Number(flag(args, "threads", "1"));
  const choice = await selectBackend({ override: flag(args, "backend", "auto"), threads });
  console.log(describeBackend(choice));
  const irFile = flag(args, "ir", "");
  const net = irFile === "" ? null : loadIrNet(irFile);
  if (net !== null && "problem" in net) {
    console.error(net.problem);
    process.exitCode = 1;
    return;
  }
  const batch = Number(flag(args, "batch", "64"));
  const trainer: Trainer = net === null ? makeTrainer(buildN1(1), batch) : makeIrTrainer(net, batch);
  for (let i = 0; i < 3; i++) trainer.step();
  trainer.forward();
  await profile("forward", () => trainer.forward());
  await profile("training step", () => void trainer.step());
  if (net === null || flag(args, "search", "0") !== "1") return;
  const search = makeSearchTrainer(net.ir, batch);
  for (let i = 0; i < 3; i++) await search.step();
  await profile("search step (masked supernet)", () => search.step());
}

await main();
