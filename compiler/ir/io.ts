/**
 * IR ⇄ JSON text and files, schema-checked both ways. Never throws: a bad
 * file is a diagnostic (FIGS35xx), an IR that fails its own schema on write is
 * an internal error. On read, the stored costs are also recomputed from the
 * graph and must agree.
 */
import { readFileSync } from "node:fs";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { codeOf, type DiagnosticKind } from "../../diagnostics/codes.js";
import { error, type Diagnostic, type RelatedNote } from "../../diagnostics/diagnostic.js";
import { SourceFile } from "../../diagnostics/source.js";
import { OP_KINDS } from "../graph.js";
import { IR_SCHEMA } from "./schema.js";
import { IR_FORMAT, IR_VERSION, type Ir } from "./types.js";
import { checkIrReferences } from "./references.js";
import { checkIrCosts } from "./costs-check.js";
import { irCostOptions } from "./build.js";
import { conventionName } from "../cost/rules.js";

let validator: ValidateFunction | undefined;

function validate(value: unknown): readonly ErrorObject[] {
  validator ??= new Ajv({ allErrors: false, strict: true, discriminator: true }).compile(IR_SCHEMA);
  return validator(value) ? [] : (validator.errors ?? []);
}

export interface IrText {
  readonly text?: string;
  readonly diagnostics: readonly Diagnostic[];
}

export interface IrRead {
  readonly ir?: Ir;
  readonly source: SourceFile;
  readonly diagnostics: readonly Diagnostic[];
}

/** Checks an IR against the schema and writes it as JSON, one node or group per line. */
export function serializeIr(ir: Ir): IrText {
  const problems = [...validate(ir).map(describeSchemaError), ...checkIrReferences(ir)];
  if (problems.length > 0) {
    const at = new SourceFile("<ir>", "").rangeAt(0, 0);
    return { diagnostics: [error(codeOf("InternalError"), `figs built an IR that fails its schema: ${problems[0]}; please report it`, at)] };
  }
  return { text: formatIrJson(ir), diagnostics: [] };
}

export function parseIr(text: string, path: string): IrRead {
  const source = new SourceFile(path, text);
  const fail = (kind: DiagnosticKind, message: string, offset = 0, notes: RelatedNote[] = []): IrRead => ({
    source,
    diagnostics: [error(codeOf(kind), message, source.rangeAt(offset, offset + (text.length > offset ? 1 : 0)), notes)],
  });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    const offset = Number(/position (\d+)/.exec(message)?.[1] ?? 0);
    return fail("InvalidJson", `${path} is not valid JSON (${message})`, Math.min(offset, text.length));
  }
  const header = value as { format?: unknown; version?: unknown } | null;
  if (typeof header === "object" && header !== null && header.format === IR_FORMAT && header.version !== IR_VERSION) {
    return fail("UnsupportedIrVersion", `${path} is IR version ${String(header.version)}; this figs reads version ${IR_VERSION}: compile the space again`);
  }
  const schemaErrors = validate(value);
  if (schemaErrors.length > 0) return fail("InvalidIr", `${path} is not a figs IR: ${describeSchemaError(schemaErrors[0] as ErrorObject)}`);
  const ir = value as Ir;
  const broken = checkIrReferences(ir);
  if (broken.length > 0) return fail("InvalidIr", `${path} is not a consistent figs IR: ${broken[0]}`);
  const costs = checkIrCosts(ir);
  if (costs.length > 0) {
    const convention = conventionName(irCostOptions(ir));
    const notes = costs.slice(1).map((problem) => ({ message: `also: ${problem}` }));
    return fail("IrCostsDisagree", `${path} stores costs that disagree with its graph (${convention} convention): ${costs[0]}; compile the space again`, 0, notes);
  }
  return { ir, source, diagnostics: [] };
}

/** `shownPath`: how messages name the file (the path as the user typed it); `path` by default. */
export function readIr(path: string, shownPath = path): IrRead {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (cause) {
    const source = new SourceFile(shownPath, "");
    const reason = cause instanceof Error ? cause.message : String(cause);
    return { source, diagnostics: [error(codeOf("FileNotFound"), `cannot read ${shownPath}: ${reason}`, source.rangeAt(0, 0))] };
  }
  return parseIr(text, shownPath);
}

function describeSchemaError(e: ErrorObject): string {
  const where = e.instancePath === "" ? "the document" : e.instancePath;
  if (e.keyword === "discriminator") {
    return `${where}/op is ${JSON.stringify(e.params["tagValue"])}, not one of the ops figs knows (${OP_KINDS.join(", ")})`;
  }
  const allowed = "allowedValues" in e.params ? ` (${JSON.stringify(e.params["allowedValues"])})` : "";
  const extra = "additionalProperty" in e.params ? ` '${String(e.params["additionalProperty"])}'` : "";
  return `${where} ${e.message ?? "is invalid"}${extra}${allowed}`;
}

/** Stable, diff-friendly JSON: top-level keys one per line, each node/group/source on one line. */
export function formatIrJson(ir: Ir): string {
  const lines = Object.entries(ir).map(([key, value]) => {
    const head = `  ${JSON.stringify(key)}: `;
    if (!Array.isArray(value) || value.length === 0) return head + JSON.stringify(value);
    const items = value.map((item) => `    ${JSON.stringify(item)}`);
    return `${head}[\n${items.join(",\n")}\n  ]`;
  });
  return `{\n${lines.join(",\n")}\n}\n`;
}
