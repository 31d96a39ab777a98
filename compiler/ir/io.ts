/**
 * IR ⇄ JSON text and files, schema-checked both ways. Never throws: a bad
 * file is a diagnostic (FIGS35xx), an IR that fails its own schema on write is
 * an internal error. On read, the stored costs are also recomputed from the
 * graph and must agree.
 */
import { readFileSync, statSync } from "node:fs";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { codeOf, type DiagnosticKind } from "../../diagnostics/codes.js";
import { error, fileError, plainError, type Diagnostic, type RelatedNote } from "../../diagnostics/diagnostic.js";
import { SourceFile } from "../../diagnostics/source.js";
import { OP_KINDS } from "../graph.js";
import { IR_SCHEMA } from "./schema.js";
import { IR_FORMAT, IR_VERSION, type Ir } from "./types.js";
import { checkIrReferences } from "./references.js";
import { checkedIrCosts, type RecomputedIr } from "./costs-check.js";
import { irCostOptions } from "./build.js";
import { describeSchemaError as describeCommonSchemaError } from "./schema-message.js";
import { irFileTooLarge, MAX_IR_READ_BYTES } from "./size.js";
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
  /** Its graph, masks and costs (with its own conventions), recomputed while checking it: no need to again. */
  readonly recomputed?: RecomputedIr;
  readonly source: SourceFile;
  readonly diagnostics: readonly Diagnostic[];
}

/** Checks an IR against the schema and writes it as JSON, one node or group per line. */
export function serializeIr(ir: Ir): IrText {
  const problems = checkBuiltIr(ir);
  return problems.length > 0 ? { diagnostics: problems } : { text: formatIrJson(ir), diagnostics: [] };
}

/**
 * Checks an IR like serializeIr, then hands its JSON text to `write` in
 * pieces of about a megabyte: a 250,000-node IR (about 100 MB of text) is
 * never held as one string, nor as one string per line plus their join.
 */
export function writeIrJson(ir: Ir, write: (chunk: string) => void): readonly Diagnostic[] {
  const problems = checkBuiltIr(ir);
  if (problems.length > 0) return problems;
  for (const chunk of irJsonChunks(ir)) write(chunk);
  return [];
}

/** An IR figs built that fails its own schema is a bug in figs. */
function checkBuiltIr(ir: Ir): Diagnostic[] {
  const problems = [...validate(ir).map(describeSchemaError), ...checkIrReferences(ir)];
  if (problems.length === 0) return [];
  return [
    plainError(codeOf("InternalError"), `figs built an IR that fails its schema: ${problems[0]}; please report it`),
  ];
}

export function parseIr(text: string, path: string): IrRead {
  // Indexing the lines of a 90 MB text is needed only to point into it: on failure.
  const source = (): SourceFile => new SourceFile(path, text);
  // A problem at a known offset (bad JSON) points at it; a problem of the whole IR names the file only.
  const fail = (kind: DiagnosticKind, message: string, offset?: number, notes: RelatedNote[] = []): IrRead => {
    if (offset === undefined) {
      return { source: new SourceFile(path, ""), diagnostics: [fileError(codeOf(kind), message, path, notes)] };
    }
    const at = source();
    const range = at.rangeAt(offset, offset + (text.length > offset ? 1 : 0));
    return { source: at, diagnostics: [error(codeOf(kind), message, range, notes)] };
  };
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
    return fail(
      "UnsupportedIrVersion",
      `${path} is IR version ${String(header.version)}; this figs reads version ${IR_VERSION}: compile the space again`,
    );
  }
  withDefaultDilation(value);
  const schemaErrors = validate(value);
  if (schemaErrors.length > 0)
    return fail("InvalidIr", `${path} is not a figs IR: ${describeSchemaError(schemaErrors[0] as ErrorObject)}`);
  const ir = value as Ir;
  const broken = checkIrReferences(ir);
  if (broken.length > 0) return fail("InvalidIr", `${path} is not a consistent figs IR: ${broken[0]}`);
  const { problems: costs, recomputed } = checkedIrCosts(ir);
  if (costs.length > 0) {
    const convention = conventionName(irCostOptions(ir));
    const notes = costs.slice(1).map((problem) => ({ message: `also: ${problem}` }));
    return fail(
      "IrCostsDisagree",
      `${path} stores costs that disagree with its graph (${convention} convention): ` +
        `${costs[0]}; compile the space again`,
      undefined,
      notes,
    );
  }
  let indexed: SourceFile | undefined;
  return {
    ir,
    recomputed,
    get source() {
      return (indexed ??= source());
    },
    diagnostics: [],
  };
}

/** `shownPath`: how messages name the file (the path as the user typed it); `path` by default. */
export function readIr(path: string, shownPath = path): IrRead {
  let text: string;
  try {
    const bytes = statSync(path).size;
    if (bytes > MAX_IR_READ_BYTES) {
      return { source: new SourceFile(shownPath, ""), diagnostics: [irFileTooLarge(bytes, shownPath)] };
    }
    text = readFileSync(path, "utf8");
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    return {
      source: new SourceFile(shownPath, ""),
      diagnostics: [fileError(codeOf("FileNotFound"), `cannot read ${shownPath}: ${reason}`, shownPath)],
    };
  }
  return parseIr(text, shownPath);
}

/**
 * IRs written before convs had a dilation (issue 13) are read as dilation 1, what they meant: the attribute is
 * filled in, in place, where a conv's or dwconv's attrs lack it.
 */
function withDefaultDilation(value: unknown): void {
  const nodes = (value as { nodes?: unknown } | null)?.nodes;
  if (!Array.isArray(nodes)) return;
  for (const node of nodes as { op?: unknown; attrs?: Record<string, unknown> }[]) {
    const dilated = node?.op === "conv" || node?.op === "dwconv";
    if (dilated && typeof node.attrs === "object" && node.attrs !== null && !("dilation" in node.attrs))
      node.attrs["dilation"] = [1, 1];
  }
}

/** The schema's words with what it expected (schema-message.ts); an unknown op lists the ops figs knows. */
function describeSchemaError(e: ErrorObject): string {
  if (e.keyword === "discriminator") {
    const where = e.instancePath === "" ? "the document" : e.instancePath;
    const known = OP_KINDS.join(", ");
    return `${where}/op is ${JSON.stringify(e.params["tagValue"])}, not one of the ops figs knows (${known})`;
  }
  return describeCommonSchemaError(e);
}

/** Stable, diff-friendly JSON: top-level keys one per line, each node/group/source on one line. */
export function formatIrJson(ir: Ir): string {
  return [...irJsonChunks(ir)].join("");
}

const CHUNK_CHARS = 1 << 20;

/** formatIrJson's text, in order, in pieces of about CHUNK_CHARS characters. */
export function* irJsonChunks(ir: Ir): Generator<string> {
  let chunk = "{\n";
  const entries = Object.entries(ir);
  for (const [index, [key, value]] of entries.entries()) {
    chunk += `  ${JSON.stringify(key)}: `;
    if (!Array.isArray(value) || value.length === 0) chunk += JSON.stringify(value);
    else {
      chunk += "[\n";
      for (let i = 0; i < value.length; i++) {
        chunk += `    ${JSON.stringify(value[i])}${i + 1 < value.length ? ",\n" : "\n  ]"}`;
        if (chunk.length >= CHUNK_CHARS) {
          yield chunk;
          chunk = "";
        }
      }
    }
    chunk += index + 1 < entries.length ? ",\n" : "\n}\n";
  }
  yield chunk;
}
