/**
 * The persisted formats of a run (run.json, retrain.json, the checkpoint
 * manifest, result.json) are JSON Schemas (draft-07) checked with ajv, as
 * the IR and arch.json are. A schema node may carry `errorMessage`: the rule
 * in the user's words ("--lr must be a positive number"), shown with the
 * value that broke it; elsewhere the message is ajv's with what the schema
 * expected (compiler/ir/schema-message.ts). Every problem names its field
 * as a JSON pointer (`/settings/learningRate`).
 */
import { readFileSync } from "node:fs";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { describeSchemaError } from "../../compiler/index.js";
import { fail, ok, type DataErrorKind, type Result } from "../data/errors.js";

/** An annotation keyword: the words a failure at this node is reported in. */
const ERROR_MESSAGE = "errorMessage";

const ajv = new Ajv({ allErrors: false, strict: true });
ajv.addKeyword({ keyword: ERROR_MESSAGE, schemaType: "string" });

/** A compiled schema whose success narrows the value to `T`. */
export type SchemaCheck<T> = ValidateFunction<T>;

export function compileSchema<T>(schema: object): SchemaCheck<T> {
  return ajv.compile<T>(schema);
}

/** The first thing wrong with a value, in words. */
export interface SchemaProblem {
  /** The field as a JSON pointer; "" is the document itself. */
  readonly field: string;
  /** `--lr must be a positive number, got 0` or `must be equal to constant "figs-checkpoint"`. */
  readonly rule: string;
  /** The schema's own words (errorMessage), when it has them for this field. */
  readonly worded: boolean;
}

/** Undefined when `value` satisfies the schema. */
export function schemaProblem<T>(check: SchemaCheck<T>, value: unknown): SchemaProblem | undefined {
  return check(value) ? undefined : problemOf(check, value);
}

/** The problem of the value `check` has just refused. */
function problemOf<T>(check: SchemaCheck<T>, value: unknown): SchemaProblem {
  const errors = check.errors ?? [];
  const first = errors[0];
  if (first === undefined) return { field: "", rule: "is invalid", worded: false };
  const worded = errors.map((e) => wordsFor(check.schema, e)).find((w) => w !== undefined);
  if (worded !== undefined) {
    const got = valueAt(value, worded.field);
    return { field: worded.field, rule: `${worded.words}${describeValue(got)}`, worded: true };
  }
  // describeSchemaError names the field itself; here the field is kept apart.
  const rule = describeSchemaError({ ...first, instancePath: "" }, "").trimStart();
  return { field: first.instancePath, rule, worded: false };
}

/** `/settings/lr: --lr must be …` or `/format must be equal to constant "x"`: a problem as one phrase. */
export function describeProblem(problem: SchemaProblem): string {
  if (problem.field === "") return problem.worded ? problem.rule : `the top level ${problem.rule}`;
  return problem.worded ? `${problem.field}: ${problem.rule}` : `${problem.field} ${problem.rule}`;
}

/**
 * The innermost `errorMessage` on the error's schema path, reached through
 * object properties only (so its field is a plain pointer), with that field.
 */
function wordsFor(schema: unknown, error: ErrorObject): { words: string; field: string } | undefined {
  const segments = error.schemaPath
    .replace(/^#\/?/, "")
    .split("/")
    .filter((s) => s !== "");
  let node: unknown = schema;
  let field = "";
  let found: { words: string; field: string } | undefined;
  for (let i = 0; node !== undefined; i += 2) {
    const words = messageOf(node);
    if (words !== undefined) found = { words, field };
    if (segments[i] !== "properties" || segments[i + 1] === undefined) break;
    const name = decodePointer(segments[i + 1] ?? "");
    node = childOf(childOf(node, "properties"), name);
    field += `/${name}`;
  }
  return found;
}

function messageOf(node: unknown): string | undefined {
  const words = childOf(node, ERROR_MESSAGE);
  return typeof words === "string" ? words : undefined;
}

function childOf(node: unknown, key: string): unknown {
  return typeof node === "object" && node !== null ? (node as Record<string, unknown>)[key] : undefined;
}

function decodePointer(segment: string): string {
  return segment.replace(/~1/g, "/").replace(/~0/g, "~");
}

function valueAt(value: unknown, field: string): unknown {
  return field
    .split("/")
    .slice(1)
    .reduce<unknown>((at, key) => childOf(at, decodePointer(key)), value);
}

/** `, got 0`, `, got fast`, `, got {"fraction":2}`; a long value is left out (the field says where to look). */
function describeValue(value: unknown): string {
  if (value === undefined) return ", but it is missing";
  const text = typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
  return text.length <= 80 ? `, got ${text}` : "";
}

/** How a reader names a file and its kind in messages. */
export interface JsonFile<T> {
  /** `a figs search run`: `FILE is not a figs search run: …`. */
  readonly kind: string;
  readonly check: SchemaCheck<T>;
  /** The `format` and `version` fields, checked first: a file of another kind or version is told so. */
  readonly header?: { readonly format: string; readonly versions: readonly number[] };
  /** The code of a file that breaks the schema: a run's own file (default), or a checkpoint's manifest. */
  readonly broken?: Extract<DataErrorKind, "invalidRunFile" | "corruptCheckpoint">;
}

/**
 * Reads `file` and checks it against its schema: a file that cannot be read,
 * is not JSON or breaks the schema is an error value naming the file and,
 * for the schema, the field.
 */
export function readJsonFile<T>(file: string, format: JsonFile<T>): Result<T> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return fail("missing", file, `${file} is not ${format.kind}: it cannot be read`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    return fail("invalidJson", file, `${file} is not ${format.kind}: it is not valid JSON (${why})`);
  }
  return checkJson(value, file, format);
}

/** A parsed value checked against its schema; the message names the file and the field. */
export function checkJson<T>(value: unknown, file: string, format: JsonFile<T>): Result<T> {
  if (format.check(value)) return ok(value);
  const header = format.header === undefined ? undefined : headerProblem(value, format.header);
  const problem = header ?? describeProblem(problemOf(format.check, value));
  return fail(format.broken ?? "invalidRunFile", file, `${file} is not ${format.kind}: ${problem}`);
}

function headerProblem(value: unknown, header: NonNullable<JsonFile<unknown>["header"]>): string | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "it is not a JSON object";
  const format = childOf(value, "format");
  if (format !== header.format) return `its format is ${JSON.stringify(format)}, not "${header.format}"`;
  const version = childOf(value, "version");
  if (typeof version === "number" && header.versions.includes(version)) return undefined;
  const versions = header.versions.join(" and ");
  const readable = header.versions.length === 1 ? `version ${versions}` : `versions ${versions}`;
  return `it has version ${JSON.stringify(version)}; this figs reads ${readable}`;
}
