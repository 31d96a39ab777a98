/**
 * Schema pieces search and retrain share: a setting's rule in the words of
 * its command-line option, the augmentation settings, the data of a run (its
 * --data, --limit and validation split). The same schema checks the values
 * given on the command line and the values read back from run.json or
 * retrain.json, which users can edit.
 */
import { compileSchema, describeProblem, schemaProblem, type SchemaCheck } from "../checkpoint/json-schema.js";
import { ok, refuse, type Result } from "../data/errors.js";

export function positiveInteger(option: string, safe = false): object {
  return {
    type: "integer",
    minimum: 1,
    ...(safe ? { maximum: Number.MAX_SAFE_INTEGER } : {}),
    errorMessage: `${option} must be a positive integer`,
  };
}

export function positiveNumber(option: string): object {
  return { type: "number", exclusiveMinimum: 0, errorMessage: `${option} must be a positive number` };
}

/** Null, or what `schema` allows; `errorMessage` says both. */
export function orNull(schema: object, errorMessage: string): object {
  return { anyOf: [{ type: "null" }, schema], errorMessage };
}

export const SEED = {
  type: "integer",
  minimum: 0,
  maximum: Number.MAX_SAFE_INTEGER,
  errorMessage: "--seed must be a non-negative integer",
} as const;

/** --crop and --flip. */
export const AUGMENT_PROPERTIES = {
  cropPadding: {
    type: "integer",
    minimum: 0,
    errorMessage: "--crop must be a non-negative integer (pixels of padding)",
  },
  flip: { type: "boolean", errorMessage: "flip must be true or false" },
} as const;

const AUGMENT_SCHEMA = {
  type: "object",
  required: ["cropPadding", "flip"],
  properties: AUGMENT_PROPERTIES,
} as const;

let augmentCheck: SchemaCheck<{ cropPadding: number; flip: boolean }> | undefined;

/** What is wrong with the augmentation settings, if anything. */
export function augmentProblem(settings: { readonly cropPadding: number; readonly flip: boolean }): string | undefined {
  augmentCheck ??= compileSchema(AUGMENT_SCHEMA);
  return schemaProblem(augmentCheck, settings)?.rule;
}

/** `{ "count": N }` or `{ "fraction": F }`; null (or absent, in runs from before the option) is none. */
export const VALIDATION = {
  anyOf: [
    { type: "null" },
    {
      type: "object",
      additionalProperties: false,
      required: ["fraction"],
      properties: { fraction: { type: "number", exclusiveMinimum: 0, exclusiveMaximum: 1 } },
    },
    {
      type: "object",
      additionalProperties: false,
      required: ["count"],
      properties: { count: { type: "integer", minimum: 1 } },
    },
  ],
  errorMessage: 'the validation split must be { "count": N } or { "fraction": F }',
} as const;

/** The data of a run: --data, --limit (absent in older files: none) and the validation split. */
export const RUN_DATA = {
  type: "object",
  additionalProperties: false,
  required: ["spec"],
  properties: {
    spec: { type: "string", minLength: 1 },
    limit: orNull({ type: "integer", minimum: 1 }, "--limit must be a positive integer or null"),
    testLimit: orNull({ type: "integer", minimum: 1 }, "--test-limit must be a positive integer or null"),
    validation: VALIDATION,
  },
} as const;

/**
 * Checks complete settings (every key present) against their schema, for
 * values from the command line: the message is the option's rule and the
 * value given (`--steps must be a positive integer, got 0`).
 */
export function checkSettings<T>(check: SchemaCheck<T>, settings: T, what: string): Result<T> {
  const problem = schemaProblem(check, settings);
  if (problem === undefined) return ok(settings);
  return refuse("invalidOption", problem.worded ? problem.rule : `${what}: ${describeProblem(problem)}`);
}
