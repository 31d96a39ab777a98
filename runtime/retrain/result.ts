/**
 * `result.json`: what a finished retraining measured — the architecture it
 * trained (its name, file and sha256), test (and validation) accuracy,
 * steps, seed, wall time, the model's costs in both conventions, the width
 * of every group and the preprocessing its input needs: a row of a results
 * table without joining other files. Written when the run ends,
 * schema-checked when written and when read.
 */
import { join } from "node:path";
import {
  compileSchema,
  describeProblem,
  readJsonFile,
  schemaProblem,
  type SchemaCheck,
} from "../checkpoint/json-schema.js";
import { fail, type Result } from "../data/errors.js";
import type { Preprocessing } from "../data/preprocessing.js";
import { COST_VALUES, PREPROCESSING } from "../export/arch-json.js";
import type { ConventionCosts } from "../export/costs.js";
import { writeFileAtomic } from "../folders/index.js";

export const RESULT_FILE = "result.json";

export interface RetrainResult {
  /** What was trained; absent in files written before figs recorded it. */
  readonly architecture?: { readonly name: string; readonly path: string; readonly sha256: string };
  readonly testAccuracy: number;
  readonly testImages: number;
  readonly validationAccuracy?: number;
  readonly validationImages?: number;
  readonly steps: number;
  readonly seed: number;
  readonly wallSeconds: number;
  readonly costs: ConventionCosts;
  /** Width of every group of the space, by group name. */
  readonly widths: Readonly<Record<string, number>>;
  readonly preprocessing: Preprocessing;
}

const FRACTION = { type: "number", minimum: 0, maximum: 1 } as const;
const COUNT = { type: "integer", minimum: 0 } as const;

/** JSON Schema (draft-07) of result.json. */
export const RESULT_SCHEMA = {
  $schema: "http://json-schema.org/draft-07/schema#",
  title: "figs retrain result (result.json)",
  type: "object",
  additionalProperties: false,
  required: ["testAccuracy", "testImages", "steps", "seed", "wallSeconds", "costs", "widths", "preprocessing"],
  dependencies: { validationAccuracy: ["validationImages"], validationImages: ["validationAccuracy"] },
  properties: {
    architecture: {
      type: "object",
      additionalProperties: false,
      required: ["name", "path", "sha256"],
      properties: {
        name: { type: "string", minLength: 1 },
        path: { type: "string", minLength: 1 },
        sha256: { type: "string", pattern: "^[0-9a-f]{64}$" },
      },
    },
    testAccuracy: FRACTION,
    testImages: COUNT,
    validationAccuracy: FRACTION,
    validationImages: COUNT,
    steps: COUNT,
    seed: COUNT,
    wallSeconds: { type: "number", minimum: 0 },
    costs: {
      type: "object",
      additionalProperties: false,
      required: ["torch", "keras"],
      properties: { torch: COST_VALUES, keras: COST_VALUES },
    },
    widths: { type: "object", additionalProperties: COUNT },
    preprocessing: PREPROCESSING,
  },
} as const;

let resultCheck: SchemaCheck<RetrainResult> | undefined;

function check(): SchemaCheck<RetrainResult> {
  resultCheck ??= compileSchema<RetrainResult>(RESULT_SCHEMA);
  return resultCheck;
}

/** Writes `dir/result.json` atomically; a result that breaks its schema is figs's own bug, refused before writing. */
export function writeRetrainResult(dir: string, result: RetrainResult): Result<void> {
  const file = join(dir, RESULT_FILE);
  const problem = schemaProblem(check(), result);
  if (problem !== undefined) {
    const message = `figs built a ${RESULT_FILE} that fails its schema: ${describeProblem(problem)}; please report it`;
    return fail("invalidRunFile", file, message);
  }
  return writeFileAtomic(file, `${JSON.stringify(result, null, 2)}\n`);
}

export function readRetrainResult(dir: string): Result<RetrainResult> {
  return readJsonFile(join(dir, RESULT_FILE), { kind: "a figs retrain result", check: check() });
}
