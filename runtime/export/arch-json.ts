/**
 * `arch.json`: what an export found, schema-checked (ajv) when written and
 * when read. It names the space and the exact source it came from (sha256 from
 * the IR), the space parameters, the width of every group, the costs at those
 * widths in both conventions, the search settings and the seed.
 */
import { readFileSync } from "node:fs";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { fileError, plainError, type Diagnostic } from "../../diagnostics/diagnostic.js";
import type { Ir, IrSource } from "../../compiler/index.js";
import { describeSchemaError } from "../../compiler/index.js";
import type { Preprocessing } from "../data/preprocessing.js";
import type { ConventionCosts } from "./costs.js";
import { EXPORT_CODES } from "./codes.js";

export const ARCH_FORMAT = "figs-arch";
export const ARCH_VERSION = 1;

export interface ArchGroupWidth {
  readonly group: number;
  readonly name: string;
  readonly size: number;
  readonly searchable: boolean;
  readonly width: number;
}

export interface ArchJson {
  readonly format: typeof ARCH_FORMAT;
  readonly version: typeof ARCH_VERSION;
  readonly space: string;
  /** The file that defines the space, as the IR recorded it. */
  readonly source: IrSource;
  /** Every text the IR was compiled from (imports, --set values). */
  readonly sources: readonly IrSource[];
  readonly parameters: Readonly<Record<string, unknown>>;
  /** One entry per IR group, by group id: the exported width (0 = removed). */
  readonly widths: readonly ArchGroupWidth[];
  readonly costs: ConventionCosts;
  /**
   * How the widths were found, or null for given widths. Free-form on purpose (baselines record their
   * own): `figs search` writes its settings (λ, cost, steps, mask options initialLogit/temperature/maskNoise,
   * augmentation cropPadding/flip, data with its validation split) and, with a validation split,
   * validationAccuracy and validationImages (runtime/search/export-run.ts).
   */
  readonly search: Readonly<Record<string, unknown>> | null;
  readonly seed: number | null;
  /** Ops of the space that the export removed. */
  readonly removedOps: number;
  readonly files: { readonly figs: string; readonly model: string };
  /**
   * What the model's input must go through (scale, per-channel mean and std,
   * shape, channel order), when the exporter knew the data. Absent in files
   * written before it existed and in exports made without data.
   */
  readonly preprocessing?: Preprocessing;
}

export const COST_VALUES = {
  type: "object",
  additionalProperties: false,
  required: ["params", "madds", "flops"],
  properties: {
    params: { type: "number", minimum: 0 },
    madds: { type: "number", minimum: 0 },
    flops: { type: "number", minimum: 0 },
  },
} as const;

export const SOURCE = {
  type: "object",
  additionalProperties: false,
  required: ["path", "sha256"],
  properties: { path: { type: "string" }, sha256: { type: "string", pattern: "^[0-9a-f]{64}$" } },
} as const;

export const PREPROCESSING = {
  type: "object",
  additionalProperties: false,
  required: ["formula", "inputScale", "mean", "std", "inputShape", "layout", "channelOrder", "dataset"],
  properties: {
    formula: { type: "string" },
    inputScale: { type: "number", exclusiveMinimum: 0 },
    mean: { type: "array", items: { type: "number" }, minItems: 1 },
    std: { type: "array", items: { type: "number", exclusiveMinimum: 0 }, minItems: 1 },
    inputShape: { type: "array", items: { type: "integer", minimum: 1 }, minItems: 3, maxItems: 3 },
    layout: { const: "HWC" },
    channelOrder: { type: "array", items: { type: "string" }, minItems: 1 },
    dataset: { type: "string" },
  },
} as const;

export const ARCH_SCHEMA = {
  $schema: "http://json-schema.org/draft-07/schema#",
  title: "figs exported architecture (arch.json)",
  type: "object",
  additionalProperties: false,
  required: [
    "format",
    "version",
    "space",
    "source",
    "sources",
    "parameters",
    "widths",
    "costs",
    "search",
    "seed",
    "removedOps",
    "files",
  ],
  properties: {
    format: { const: ARCH_FORMAT },
    version: { const: ARCH_VERSION },
    space: { type: "string", minLength: 1 },
    source: SOURCE,
    sources: { type: "array", items: SOURCE },
    parameters: { type: "object" },
    widths: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["group", "name", "size", "searchable", "width"],
        properties: {
          group: { type: "integer", minimum: 0 },
          name: { type: "string" },
          size: { type: "integer", minimum: 0 },
          searchable: { type: "boolean" },
          width: { type: "integer", minimum: 0 },
        },
      },
    },
    costs: {
      type: "object",
      additionalProperties: false,
      required: ["torch", "keras"],
      properties: { torch: COST_VALUES, keras: COST_VALUES },
    },
    search: { anyOf: [{ type: "object" }, { type: "null" }] },
    seed: { anyOf: [{ type: "integer" }, { type: "null" }] },
    removedOps: { type: "integer", minimum: 0 },
    files: {
      type: "object",
      additionalProperties: false,
      required: ["figs", "model"],
      properties: { figs: { type: "string" }, model: { type: "string" } },
    },
    preprocessing: PREPROCESSING,
  },
} as const;

let validator: ValidateFunction | undefined;

function validate(value: unknown): readonly ErrorObject[] {
  validator ??= new Ajv({ allErrors: false, strict: true }).compile(ARCH_SCHEMA);
  return validator(value) ? [] : (validator.errors ?? []);
}

/** With what the schema expected (a constant's value, an enum's values): compiler/ir/schema-message.ts. */
function describe(problem: ErrorObject): string {
  return describeSchemaError(problem, "the top level");
}

export interface ArchText {
  readonly text?: string;
  readonly diagnostics: readonly Diagnostic[];
}

/** Validates and formats; a failure here is figs's own bug. */
export function serializeArch(arch: ArchJson): ArchText {
  const problems = validate(arch);
  if (problems.length > 0) {
    const message = `figs built an arch.json that fails its schema: ${describe(problems[0] as ErrorObject)}`;
    return { diagnostics: [plainError(EXPORT_CODES.internal, `${message}; please report it`)] };
  }
  return { text: `${JSON.stringify(arch, null, 2)}\n`, diagnostics: [] };
}

export interface ArchRead {
  readonly arch?: ArchJson;
  readonly diagnostics: readonly Diagnostic[];
}

export function parseArch(text: string, path: string): ArchRead {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    return { diagnostics: [fileError(EXPORT_CODES.invalidJson, `${path} is not valid JSON (${message})`, path)] };
  }
  const problems = validate(value);
  if (problems.length > 0) {
    return {
      diagnostics: [
        fileError(
          EXPORT_CODES.invalidArch,
          `${path} is not an arch.json figs can read: ${describe(problems[0] as ErrorObject)}`,
          path,
        ),
      ],
    };
  }
  return { arch: value as ArchJson, diagnostics: [] };
}

/** Reads and checks an arch.json file; a missing file is a diagnostic too. */
export function readArch(path: string): ArchRead {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (cause) {
    const message = `cannot read ${path}: ${cause instanceof Error ? cause.message : String(cause)}`;
    return { diagnostics: [fileError(EXPORT_CODES.readFailed, message, path)] };
  }
  return parseArch(text, path);
}

/** An arch.json applies to an IR only if it came from the same space, source text and groups. */
export function checkArchMatchesIr(arch: ArchJson, ir: Ir, archPath: string): Diagnostic[] {
  const fail = (why: string): Diagnostic[] => [
    fileError(EXPORT_CODES.invalidArch, `${archPath} was exported from another space: ${why}`, archPath),
  ];
  if (arch.space !== ir.space) return fail(`it is for space '${arch.space}', not '${ir.space}'`);
  const same = ir.sources.find((s) => s.path === arch.source.path);
  if (!same || same.sha256 !== arch.source.sha256)
    return fail(`${arch.source.path} has changed since (sha256 differs)`);
  if (arch.widths.length !== ir.groups.length || arch.widths.some((w) => ir.groups[w.group]?.size !== w.size)) {
    return fail(
      `its groups do not match the ${ir.groups.length} groups of '${ir.space}' (were the parameters different?)`,
    );
  }
  return [];
}
