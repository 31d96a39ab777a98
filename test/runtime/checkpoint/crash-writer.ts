// Child process of the crash test: saves checkpoints in a loop until killed.
// Every value of checkpoint k is k, so the parent can tell a whole checkpoint
// from a mix of two.
import { saveCheckpoint } from "../../../runtime/checkpoint/store.js";
import { Prng } from "../../../runtime/data/prng.js";

const VALUES = 1 << 20;

async function main(dir: string): Promise<void> {
  for (let step = 1; ; step++) {
    process.stdout.write(`saving ${step}\n`);
    const data = new Float32Array(VALUES).fill(step);
    const result = await saveCheckpoint(dir, {
      step,
      epoch: 0,
      weights: { w: { shape: [VALUES], data } },
      optimizer: { m: { shape: [2], data: Float32Array.from([step, step]) } },
      rng: { data: Prng.fromSeed(step).state() },
      metadata: { step },
    });
    if (!result.ok) {
      process.stderr.write(`${result.diagnostic.message}\n`);
      process.exit(1);
    }
  }
}

void main(process.argv[2] ?? ".");
