/**
 * What `figs sweep`, `figs worker` and `figs diff --trained` share: how a job
 * is named in progress lines, and how figs starts itself for a job.
 */
import type { Job } from "../runtime/sweep/index.js";

/** This figs again, as it was started: node, its flags (tsx's loader), and the script (the bundle or cli/main.ts). */
export function figsLauncher(): [string, ...string[]] {
  const flags = process.execArgv.filter((flag) => !flag.startsWith("--inspect"));
  return [process.execPath, ...flags, process.argv[1] ?? "figs"];
}

/** `search  mnist_convnet params=20k figs seed 1` — what a job is, in its labels' words. */
export function describeJob(job: Job): string {
  const { space, budget, method, searchSeed, retrainSeed } = job.labels;
  const seeds = [
    searchSeed === null ? "" : `seed ${searchSeed}`,
    retrainSeed === null ? "" : `retrain seed ${retrainSeed}`,
  ];
  return [job.kind.padEnd(7), job.key, space, budget ?? "", method, ...seeds].filter((s) => s !== "").join("  ");
}
