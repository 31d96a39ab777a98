// One tfjs measurement in its own process (so peak RSS is its own):
//   npx tsx bench/train-vs-pytorch/worker.ts --threads 1 --steps 20 [--ir /tmp/…/one_shot.ir.json]
// Without --ir the network is N1; with it, the plain model of a compiled space,
// or with --search 1 its masked supernet's search step (the masks' overhead).
import * as tf from "@tensorflow/tfjs";
import { describeBackend, selectBackend } from "../../runtime/backend/select.js";
import { loadIrNet, makeIrTrainer, makeSearchTrainer, trainableParameterCount } from "./ir-net.js";
import { flag, medianMs, medianMsAsync, type Measurement } from "./measure.js";
import { buildN1, makeTrainer, parameterCount, type Trainer } from "./n1.js";

function buildNet(irFile: string, batch: number): { trainer: Trainer; params: number } | { problem: string } {
  if (irFile === "") {
    const n1 = buildN1(1);
    return { trainer: makeTrainer(n1, batch), params: parameterCount(n1) };
  }
  const net = loadIrNet(irFile);
  if ("problem" in net) return net;
  return { trainer: makeIrTrainer(net, batch), params: trainableParameterCount(net.model) };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const threads = Number(flag(args, "threads", "1"));
  const steps = Number(flag(args, "steps", "20"));
  const warmup = Number(flag(args, "warmup", "3"));
  const batch = Number(flag(args, "batch", "64"));
  const choice = await selectBackend({ override: flag(args, "backend", "auto"), threads });
  console.error(describeBackend(choice));
  if (flag(args, "search", "0") === "1") {
    await measureSearch(flag(args, "ir", ""), { threads, steps, warmup, batch, backend: describeBackend(choice) });
    return;
  }
  const net = buildNet(flag(args, "ir", ""), batch);
  if ("problem" in net) {
    console.error(net.problem);
    process.exitCode = 1;
    return;
  }
  const { trainer } = net;
  for (let i = 0; i < warmup; i++) {
    trainer.step();
    trainer.forward();
  }
  const tensorsBefore = tf.memory().numTensors;
  const stepMs = medianMs(() => trainer.step(), steps);
  const forwardMs = medianMs(() => trainer.forward(), steps);
  if (tf.memory().numTensors !== tensorsBefore)
    console.error(`warning: tensors leaked: ${tensorsBefore} → ${tf.memory().numTensors}`);
  const result: Measurement = {
    impl: "figs-tfjs",
    version: tf.version.tfjs,
    threads,
    params: net.params,
    stepMs,
    forwardMs,
    imagesPerSec: (batch * 1000) / stepMs,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    backend: describeBackend(choice),
    kind: "plain",
  };
  console.log(JSON.stringify(result));
}

interface Run {
  readonly threads: number;
  readonly steps: number;
  readonly warmup: number;
  readonly batch: number;
  readonly backend: string;
}

/** The search step of the IR's masked supernet, measured as the plain step is. */
async function measureSearch(irFile: string, run: Run): Promise<void> {
  const net = loadIrNet(irFile);
  if ("problem" in net) {
    console.error(irFile === "" ? "--search needs --ir" : net.problem);
    process.exitCode = 1;
    return;
  }
  net.model.dispose();
  const search = makeSearchTrainer(net.ir, run.batch);
  for (let i = 0; i < run.warmup; i++) {
    await search.step();
    search.forward();
  }
  const stepMs = await medianMsAsync(search.step, run.steps);
  const forwardMs = medianMs(search.forward, run.steps);
  const result: Measurement = {
    impl: "figs-search",
    version: tf.version.tfjs,
    threads: run.threads,
    params: search.params,
    stepMs,
    forwardMs,
    imagesPerSec: (run.batch * 1000) / stepMs,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    backend: run.backend,
    kind: "search",
  };
  console.log(JSON.stringify(result));
}

await main();
