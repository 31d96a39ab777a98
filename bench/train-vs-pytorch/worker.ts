// One tfjs measurement in its own process (so peak RSS is its own):
//   npx tsx bench/train-vs-pytorch/worker.ts --threads 1 --steps 20
import * as tf from "@tensorflow/tfjs";
import { describeBackend, selectBackend } from "../../runtime/backend/select.js";
import { flag, medianMs, type Measurement } from "./measure.js";
import { buildN1, makeTrainer, parameterCount } from "./n1.js";

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const threads = Number(flag(args, "threads", "1"));
  const steps = Number(flag(args, "steps", "20"));
  const warmup = Number(flag(args, "warmup", "3"));
  const batch = Number(flag(args, "batch", "64"));
  const choice = await selectBackend({ override: flag(args, "backend", "auto"), threads });
  console.error(describeBackend(choice));
  const net = buildN1(1);
  const trainer = makeTrainer(net, batch);
  for (let i = 0; i < warmup; i++) {
    trainer.step();
    trainer.forward();
  }
  const tensorsBefore = tf.memory().numTensors;
  const stepMs = medianMs(() => trainer.step(), steps);
  const forwardMs = medianMs(() => trainer.forward(), steps);
  if (tf.memory().numTensors !== tensorsBefore) console.error(`warning: tensors leaked: ${tensorsBefore} → ${tf.memory().numTensors}`);
  const result: Measurement = {
    impl: "figs-tfjs",
    version: tf.version.tfjs,
    threads,
    params: parameterCount(net),
    stepMs,
    forwardMs,
    imagesPerSec: (batch * 1000) / stepMs,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    backend: describeBackend(choice),
  };
  console.log(JSON.stringify(result));
}

await main();
