/**
 * An experiment file (`figs sweep EXPERIMENT.json`): the spaces, the data,
 * the budgets, the methods, the seeds and the search and retrain settings
 * of a sweep. Read with a JSON Schema (draft-07, ajv) and a few rules the
 * schema cannot say (a λ grid needs λs, labels are distinct); every problem
 * is a diagnostic at its line and column in the file.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { codeOf } from "../../diagnostics/codes.js";
import { error, fileError, sortDiagnostics, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { SourceFile } from "../../diagnostics/source.js";
import { compileSchema, describeProblem, schemaProblem, type SchemaCheck } from "../checkpoint/json-schema.js";
import { locatePointer } from "./json-locate.js";

export const EXPERIMENT_FORMAT = "figs-sweep-experiment";

export type CostMetric = "params" | "madds";
export type MethodName = "figs" | "cost-only" | "multiplier" | "random" | "lambda";

export interface MethodSpec {
  readonly method: MethodName;
  /** The method's name in the results (default: figs, figs-samples4, cost-only, multiplier, random, lambda). */
  readonly label?: string;
  /** figs, cost-only and lambda: adaptive sampling, up to K mask samples per step (`--samples`). */
  readonly samples?: number;
  /** figs, cost-only and lambda: Adam ε of the mask logits (`--arch-eps`). */
  readonly archEps?: number;
  /** figs, cost-only and lambda: Adam learning rate of the mask logits (`--arch-lr`). */
  readonly archLr?: number;
  /** figs, cost-only and lambda: temperature of the Logistic-Sigmoid masks (`--temperature`). */
  readonly temperature?: number;
  /** random: the probability of removing each droppable group (`--drop`). */
  readonly drop?: number;
  /** lambda: the grid of fixed λs, searched instead of the budgets. */
  readonly lambdas?: readonly number[];
  /** lambda: the cost λ·E[cost] penalises (default params). */
  readonly cost?: CostMetric;
}

export interface TrainingSettings {
  readonly steps?: number;
  readonly epochs?: number;
  readonly batch?: number;
  readonly lr?: number;
  readonly backend?: string;
  /** This stage's `--limit`, instead of data.limit (e.g. search on 10,000 images, retrain on all). */
  readonly limit?: number;
}

export interface Experiment {
  readonly format: typeof EXPERIMENT_FORMAT;
  readonly version: 1;
  readonly name: string;
  readonly spaces: readonly { readonly file: string; readonly set?: readonly string[]; readonly label?: string }[];
  readonly data: { readonly dataset: string; readonly limit?: number; readonly testLimit?: number };
  /** `params=40k`, `madds=2M`: each is a budget and, by its kind, a cost. None: random samples unconstrained. */
  readonly budgets: readonly string[];
  readonly methods: readonly MethodSpec[];
  readonly seeds: { readonly search: readonly number[]; readonly retrain: readonly number[] };
  readonly search: TrainingSettings;
  readonly retrain: TrainingSettings;
}

/** A space of the experiment with its file resolved and hashed: a changed space file makes new jobs. */
export interface SweepSpace {
  readonly label: string;
  /** Absolute path, what the jobs are given. */
  readonly path: string;
  readonly set: readonly string[];
  readonly sha256: string;
}

export interface LoadedExperiment {
  readonly experiment: Experiment;
  readonly spaces: readonly SweepSpace[];
  /** The folder relative data paths (`idx:DIR`) are resolved against. */
  readonly folder: string;
}

export type ExperimentRead =
  | { readonly ok: true; readonly value: LoadedExperiment; readonly source: SourceFile }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[]; readonly source?: SourceFile };

const SEED = { type: "integer", minimum: 0 } as const;
const POSITIVE_INT = { type: "integer", minimum: 1 } as const;
const SEEDS = { type: "array", items: SEED, minItems: 1, uniqueItems: true } as const;
const TRAINING = {
  type: "object",
  additionalProperties: false,
  properties: {
    steps: POSITIVE_INT,
    epochs: POSITIVE_INT,
    batch: POSITIVE_INT,
    lr: { type: "number", exclusiveMinimum: 0 },
    backend: { enum: ["auto", "tensorflow-gpu", "tensorflow", "wasm", "cpu"] },
    limit: POSITIVE_INT,
  },
} as const;

/** JSON Schema (draft-07) of an experiment file. */
export const EXPERIMENT_SCHEMA = {
  type: "object",
  additionalProperties: false,
  required: ["format", "version", "name", "spaces", "data", "budgets", "methods", "seeds", "search", "retrain"],
  properties: {
    format: { const: EXPERIMENT_FORMAT },
    version: { const: 1 },
    name: { type: "string", pattern: "^[A-Za-z0-9][A-Za-z0-9._-]*$", errorMessage: "must be a name like fashion-1" },
    spaces: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        additionalProperties: false,
        required: ["file"],
        properties: {
          file: { type: "string", minLength: 1 },
          set: { type: "array", items: { type: "string", pattern: "^[^=]+=.+$" } },
          label: { type: "string", minLength: 1 },
        },
      },
    },
    data: {
      type: "object",
      additionalProperties: false,
      required: ["dataset"],
      properties: {
        dataset: { type: "string", pattern: "^(mnist|fashion-mnist|idx:.+|cifar10:.+)$" },
        limit: POSITIVE_INT,
        testLimit: POSITIVE_INT,
      },
    },
    budgets: {
      type: "array",
      uniqueItems: true,
      items: { type: "string" },
    },
    methods: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        additionalProperties: false,
        required: ["method"],
        properties: {
          method: { enum: ["figs", "cost-only", "multiplier", "random", "lambda"] },
          label: { type: "string", pattern: "^[^,\\s]+$" },
          samples: POSITIVE_INT,
          archEps: { type: "number", exclusiveMinimum: 0 },
          archLr: { type: "number", exclusiveMinimum: 0 },
          temperature: { type: "number", exclusiveMinimum: 0 },
          drop: { type: "number", minimum: 0, maximum: 1 },
          lambdas: { type: "array", minItems: 1, uniqueItems: true, items: { type: "number", minimum: 0 } },
          cost: { enum: ["params", "madds"] },
        },
      },
    },
    seeds: {
      type: "object",
      additionalProperties: false,
      required: ["search", "retrain"],
      properties: { search: SEEDS, retrain: SEEDS },
    },
    search: TRAINING,
    retrain: TRAINING,
  },
} as const;

let compiled: SchemaCheck<Experiment> | undefined;
const check = (): SchemaCheck<Experiment> => (compiled ??= compileSchema<Experiment>(EXPERIMENT_SCHEMA));

/** Reads, parses and checks an experiment file; relative paths in it are relative to its folder. */
export function readExperiment(file: string): ExperimentRead {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return { ok: false, diagnostics: [fileError(codeOf("FileNotFound"), `cannot read the experiment ${file}`, file)] };
  }
  const source = new SourceFile(file, text);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    const message = `${file} is not an experiment: it is not valid JSON (${why})`;
    return { ok: false, source, diagnostics: [fileError(codeOf("InvalidJson"), message, file)] };
  }
  return checkExperiment(value, source);
}

/** A parsed experiment checked against its schema and rules, its spaces read and hashed. */
export function checkExperiment(value: unknown, source: SourceFile): ExperimentRead {
  const at = (pointer: string, message: string): Diagnostic => {
    const range = locatePointer(source.text, pointer);
    return error(codeOf("InvalidExperiment"), message, source.rangeAt(range.start, range.end));
  };
  const header = headerProblem(value);
  if (header !== undefined) return { ok: false, source, diagnostics: [at(header.pointer, header.message)] };
  const problem = schemaProblem(check(), value);
  if (problem !== undefined)
    return { ok: false, source, diagnostics: [at(problem.field, `experiment: ${describeProblem(problem)}`)] };
  const experiment = value as Experiment;
  const folder = dirname(resolve(source.path));
  const diagnostics = ruleProblems(experiment).map((p) => at(p.pointer, p.message));
  const spaces = experiment.spaces.map((space, index) => {
    const path = resolve(folder, space.file);
    try {
      const sha256 = createHash("sha256").update(readFileSync(path)).digest("hex");
      const label = space.label ?? space.file.replace(/^.*\//, "").replace(/\.figs$/, "");
      return { label, path, set: space.set ?? [], sha256 };
    } catch {
      diagnostics.push(at(`/spaces/${index}/file`, `cannot read the space ${space.file} (looked for ${path})`));
      return undefined;
    }
  });
  if (diagnostics.length > 0) return { ok: false, source, diagnostics: sortDiagnostics(diagnostics) };
  return { ok: true, source, value: { experiment, folder, spaces: spaces.filter((s) => s !== undefined) } };
}

/** A file of another kind or version is told so before any field of it is checked. */
function headerProblem(value: unknown): RuleProblem | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return { pointer: "", message: "an experiment is a JSON object" };
  const { format, version } = value as { format?: unknown; version?: unknown };
  if (format !== EXPERIMENT_FORMAT)
    return {
      pointer: "/format",
      message: `an experiment has "format": "${EXPERIMENT_FORMAT}", got ${JSON.stringify(format)}`,
    };
  if (version !== 1)
    return {
      pointer: "/version",
      message: `this figs reads experiments of "version": 1, got ${JSON.stringify(version)}`,
    };
  return undefined;
}

/** The name a method has in the results. */
export function methodLabel(method: MethodSpec): string {
  if (method.label !== undefined) return method.label;
  return method.samples !== undefined && method.method !== "multiplier" && method.method !== "random"
    ? `${method.method}-samples${method.samples}`
    : method.method;
}

interface RuleProblem {
  readonly pointer: string;
  readonly message: string;
}

const BUDGET = /^(params|madds)=[0-9]+(\.[0-9]+)?[kMG]?$/;
const SEARCH_ONLY = ["samples", "archEps", "archLr", "temperature"] as const;

/** What the schema cannot say: which fields go with which method, distinct labels, steps or epochs. */
function ruleProblems(experiment: Experiment): RuleProblem[] {
  const problems = experiment.methods.flatMap((method, index) => methodProblems(method, `/methods/${index}`));
  const labels = new Map<string, number>();
  experiment.methods.forEach((method, index) => {
    const label = methodLabel(method);
    const first = labels.get(label);
    const message = `two methods are called ${label} (the other is /methods/${first}); give one a label`;
    if (first !== undefined) problems.push({ pointer: `/methods/${index}`, message });
    labels.set(label, first ?? index);
  });
  experiment.budgets.forEach((budget, index) => {
    const message = `a budget is KIND=N, e.g. params=40k or madds=2M, not ${budget}`;
    if (!BUDGET.test(budget)) problems.push({ pointer: `/budgets/${index}`, message });
  });
  // Without budgets, random draws unconstrained samples (`figs sample --n 1`, no --target): figs diff --trained.
  const budgeted = experiment.methods.some((m) => m.method !== "lambda" && m.method !== "random");
  if (budgeted && experiment.budgets.length === 0)
    problems.push({ pointer: "/budgets", message: "methods other than lambda and random need at least one budget" });
  for (const phase of ["search", "retrain"] as const) {
    const settings = experiment[phase];
    if ((settings.steps === undefined) === (settings.epochs === undefined))
      problems.push({ pointer: `/${phase}`, message: `${phase} needs exactly one of steps and epochs` });
  }
  return problems;
}

/** The fields of one method that belong to another. */
function methodProblems(method: MethodSpec, here: string): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const searches = method.method === "figs" || method.method === "cost-only" || method.method === "lambda";
  for (const field of SEARCH_ONLY) {
    const message = `${field} is a search setting; ${method.method} has none`;
    if (!searches && method[field] !== undefined) problems.push({ pointer: `${here}/${field}`, message });
  }
  if (method.drop !== undefined && method.method !== "random")
    problems.push({ pointer: `${here}/drop`, message: "drop is a setting of the random method only" });
  if (method.method === "lambda" && method.lambdas === undefined)
    problems.push({ pointer: here, message: "a lambda method needs its grid: lambdas" });
  for (const field of ["lambdas", "cost"] as const)
    if (method.method !== "lambda" && method[field] !== undefined)
      problems.push({ pointer: `${here}/${field}`, message: `${field} belongs to a lambda method` });
  return problems;
}
