/**
 * An experiment becomes a DAG of jobs, each one `figs` command in a child
 * process: per space and budget, a search per method and search seed
 * (figs, cost-only), one width-multiplier export (`figs scale`: it is
 * deterministic, so no seed), one random sample per search seed (`figs
 * sample --n 1`; without budgets, one unconstrained sample per seed:
 * `figs diff --trained`); per space, cost and λ of a λ grid, a search per
 * search seed; and after each of them a retraining per retrain seed. Pure:
 * the same experiment always gives the same jobs with the same keys.
 */
import { resolve } from "node:path";
import {
  methodLabel,
  type CostMetric,
  type LoadedExperiment,
  type MethodSpec,
  type SweepSpace,
  type TrainingSettings,
} from "./experiment.js";
import { jobKey } from "./keys.js";

export type JobKind = "search" | "scale" | "sample" | "retrain";
/** How the report treats a method: baselines are compared against, λ grids have no budget. */
export type MethodFamily = "search" | "baseline" | "lambda";

/** Where a job's result belongs in the tables; the same for a retraining as for what it retrains. */
export interface JobLabels {
  readonly space: string;
  /** `params=40k`, or null for a λ grid. */
  readonly budget: string | null;
  readonly cost: CostMetric;
  readonly method: string;
  readonly family: MethodFamily;
  readonly lambda: number | null;
  /** Null for the multiplier, which has no seed. */
  readonly searchSeed: number | null;
  /** Null for a search or baseline job. */
  readonly retrainSeed: number | null;
}

export interface Job {
  readonly key: string;
  readonly kind: JobKind;
  /** Everything that makes the job's result; its key is the hash of this. */
  readonly spec: Readonly<Record<string, unknown>>;
  /** The keys of the jobs whose output it reads (a retraining: the job that exported its arch.json). */
  readonly deps: readonly string[];
  readonly labels: JobLabels;
  /** The command line after `figs`, without `--out` and, for a retraining, without its arch.json. */
  readonly args: readonly string[];
}

/** Where a producing job's arch.json is, inside the folder it was given as `--out`. */
export const ARCH_FILE: Readonly<Record<Exclude<JobKind, "retrain">, string>> = {
  search: "export/arch.json",
  scale: "arch.json",
  sample: "sample-0/arch.json",
};

export function expandExperiment(loaded: LoadedExperiment): Job[] {
  const { experiment } = loaded;
  const jobs = new Map<string, Job>();
  const add = (job: Job): void => void (jobs.has(job.key) || jobs.set(job.key, job));
  for (const space of loaded.spaces)
    for (const method of experiment.methods)
      for (const producer of producersOf(loaded, space, method)) {
        add(producer);
        for (const seed of experiment.seeds.retrain) add(retrainJob(loaded, producer, seed));
      }
  return [...jobs.values()];
}

function producersOf(loaded: LoadedExperiment, space: SweepSpace, method: MethodSpec): Job[] {
  const { experiment } = loaded;
  const seeds = experiment.seeds.search;
  const label = methodLabel(method);
  if (method.method === "lambda") {
    const cost = method.cost ?? "params";
    return (method.lambdas ?? []).flatMap((lambda) =>
      seeds.map((seed) => searchJob(loaded, space, method, { cost, lambda }, seed, `${label}=${lambda}`)),
    );
  }
  if (method.method === "random" && experiment.budgets.length === 0)
    return seeds.map((seed) => baselineJob(space, label, null, "sample", seed, method));
  return experiment.budgets.flatMap((budget): Job[] => {
    const cost = budget.split("=")[0] as CostMetric;
    if (method.method === "multiplier") return [baselineJob(space, label, budget, "scale", null)];
    if (method.method === "random")
      return seeds.map((seed) => baselineJob(space, label, budget, "sample", seed, method));
    return seeds.map((seed) => searchJob(loaded, space, method, { cost, target: budget }, seed, label));
  });
}

function spaceSpec(space: SweepSpace): Record<string, unknown> {
  return { label: space.label, set: space.set, sha256: space.sha256 };
}

function spaceArgs(space: SweepSpace): string[] {
  return [space.path, ...space.set.flatMap((set) => ["--set", set])];
}

interface Objective {
  readonly cost: CostMetric;
  readonly target?: string;
  readonly lambda?: number;
}

function searchJob(
  loaded: LoadedExperiment,
  space: SweepSpace,
  method: MethodSpec,
  objective: Objective,
  seed: number,
  label: string,
): Job {
  const { experiment } = loaded;
  const searchMethod = method.method === "cost-only" ? "cost-only" : "figs";
  const spec = {
    kind: "search",
    label,
    space: spaceSpec(space),
    data: experiment.data,
    method: searchMethod,
    samples: method.samples,
    archEps: method.archEps,
    archLr: method.archLr,
    temperature: method.temperature,
    ...objective,
    seed,
    settings: experiment.search,
  };
  const args = [
    "search",
    ...spaceArgs(space),
    ...dataArgs(loaded, experiment.search),
    ...["--method", searchMethod, "--cost", objective.cost, "--seed", String(seed)],
    ...(objective.target !== undefined ? ["--target", objective.target] : []),
    ...(objective.lambda !== undefined ? ["--lambda", String(objective.lambda)] : []),
    ...(method.samples !== undefined ? ["--samples", String(method.samples)] : []),
    ...(method.archEps !== undefined ? ["--arch-eps", String(method.archEps)] : []),
    ...(method.archLr !== undefined ? ["--arch-lr", String(method.archLr)] : []),
    ...(method.temperature !== undefined ? ["--temperature", String(method.temperature)] : []),
    ...trainingArgs(experiment.search),
  ];
  const labels: JobLabels = {
    space: space.label,
    budget: objective.target ?? null,
    cost: objective.cost,
    method: label,
    family: objective.lambda !== undefined ? "lambda" : "search",
    lambda: objective.lambda ?? null,
    searchSeed: seed,
    retrainSeed: null,
  };
  return { key: jobKey(spec), kind: "search", spec, deps: [], labels, args };
}

function baselineJob(
  space: SweepSpace,
  label: string,
  budget: string | null,
  kind: "scale" | "sample",
  seed: number | null,
  method?: MethodSpec,
): Job {
  const target = budget ?? undefined;
  const spec = { kind, label, space: spaceSpec(space), target, seed: seed ?? undefined, drop: method?.drop };
  const sampling = kind === "sample" ? ["--n", "1", "--seed", String(seed)] : [];
  const drop = method?.drop !== undefined ? ["--drop", String(method.drop)] : [];
  const args = [kind, ...spaceArgs(space), ...(budget === null ? [] : ["--target", budget]), ...sampling, ...drop];
  const labels: JobLabels = {
    space: space.label,
    budget,
    cost: (budget?.split("=")[0] ?? "params") as CostMetric,
    method: label,
    family: "baseline",
    lambda: null,
    searchSeed: seed,
    retrainSeed: null,
  };
  return { key: jobKey(spec), kind, spec, deps: [], labels, args };
}

function retrainJob(loaded: LoadedExperiment, producer: Job, seed: number): Job {
  const { experiment } = loaded;
  const spec = { kind: "retrain", from: producer.key, data: experiment.data, seed, settings: experiment.retrain };
  const args = [
    "retrain",
    ...dataArgs(loaded, experiment.retrain),
    "--seed",
    String(seed),
    ...trainingArgs(experiment.retrain),
  ];
  const labels = { ...producer.labels, retrainSeed: seed };
  return { key: jobKey(spec), kind: "retrain", spec, deps: [producer.key], labels, args };
}

/** A data folder (`idx:DIR`, `cifar10:DIR`) is relative to the experiment file. */
function dataArgs(loaded: LoadedExperiment, stage: TrainingSettings): string[] {
  const { dataset, testLimit } = loaded.experiment.data;
  const limit = stage.limit ?? loaded.experiment.data.limit;
  const colon = dataset.indexOf(":");
  const data =
    colon < 0 ? dataset : `${dataset.slice(0, colon + 1)}${resolve(loaded.folder, dataset.slice(colon + 1))}`;
  return [
    ...["--data", data],
    ...(limit !== undefined ? ["--limit", String(limit)] : []),
    ...(testLimit !== undefined ? ["--test-limit", String(testLimit)] : []),
  ];
}

/** One thread per job: the pool runs as many jobs as there are cores, and one thread repeats runs bit for bit. */
function trainingArgs(settings: TrainingSettings): string[] {
  const pairs: [string, number | string | undefined][] = [
    ["--steps", settings.steps],
    ["--epochs", settings.epochs],
    ["--batch", settings.batch],
    ["--lr", settings.lr],
    ["--backend", settings.backend],
  ];
  return [...pairs.flatMap(([name, value]) => (value === undefined ? [] : [name, String(value)])), "--threads", "1"];
}

/** Jobs in an order where every job comes after the jobs it depends on (expansion already gives it). */
export function jobsByKey(jobs: readonly Job[]): ReadonlyMap<string, Job> {
  return new Map(jobs.map((job) => [job.key, job]));
}
