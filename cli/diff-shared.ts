/**
 * What `figs diff` and `figs diff --trained` (cli/diff-trained/) share:
 * their numeric options, compiling each space, its label, and writing a file.
 */
import { writeFileSync } from "node:fs";
import { basename } from "node:path";
import { compile, type Ir } from "../compiler/index.js";
import { codeOf } from "../diagnostics/codes.js";
import { fileError, type Diagnostic } from "../diagnostics/diagnostic.js";
import { ok, type Result } from "../diagnostics/result.js";
import { invalidOption, stringOption, type ParsedArgs } from "./command.js";
import { parseAssignments, splitTopLevelCommas } from "./compile-args.js";
import type { CliIo } from "./io.js";
import { reportFiles, type Reporter } from "./report.js";
import { cwdHost, loadFile } from "./source-files.js";

export function integerOption(
  args: ParsedArgs,
  name: string,
  fallback: number,
  min: number,
  max: number,
): Result<number> {
  const text = stringOption(args, name);
  if (text === undefined) return ok(fallback);
  const value = Number(text);
  return /^\d+$/.test(text.trim()) && value >= min && value <= max
    ? ok(value)
    : invalidOption(`--${name} must be an integer from ${min} to ${max}, not '${text}'`);
}

export function probabilityOption(args: ParsedArgs, name: string, fallback: number): Result<number> {
  const text = stringOption(args, name);
  if (text === undefined) return ok(fallback);
  const value = Number(text);
  return text.trim() !== "" && Number.isFinite(value) && value >= 0 && value < 1
    ? ok(value)
    : invalidOption(`--${name} must be a number in [0, 1), not '${text}'`);
}

/**
 * Each file's overrides: `NAME=VALUE` applies to every space, `STEM.NAME=VALUE`
 * only to the file of that name without `.figs` (spaces with different
 * parameters compared side by side: `one_shot.F=8 fbnet.figs_variant=true`).
 */
export function overridesPerFile(texts: readonly string[], files: readonly string[]): Result<Record<string, string>[]> {
  const stems = files.map((file) => basename(file).replace(/\.figs$/, ""));
  const common: string[] = [];
  const scoped = files.map((): string[] => []);
  for (const text of texts.flatMap(splitTopLevelCommas)) {
    const match = /^\s*([A-Za-z_][\w-]*)\.([A-Za-z_]\w*\s*=.*)$/s.exec(text);
    if (match === null) {
      common.push(text);
      continue;
    }
    const at = stems.flatMap((stem, index) => (stem === match[1] ? [index] : []));
    if (at.length === 0)
      return invalidOption(`--set ${text.trim()}: no space file '${match[1]}.figs' is compared (${stems.join(", ")})`);
    for (const index of at) scoped[index]!.push(match[2]!);
  }
  const sets: Record<string, string>[] = [];
  for (const own of scoped) {
    const set = parseAssignments([...common, ...own]);
    if (!set.ok) return set;
    sets.push(set.value);
  }
  return ok(sets);
}

/** The file compiled to its IR, or the exit code after its diagnostics were printed. */
export async function compileSpace(
  io: CliIo,
  reporter: Reporter,
  path: string,
  set: Record<string, string>,
): Promise<Ir | number> {
  const file = await loadFile(io, path);
  if (!file.readable) return reportFiles(reporter, [{ path: file.path, diagnostics: file.diagnostics }], new Map());
  const result = compile({ path: file.path, text: file.text, set }, { host: cwdHost(io) });
  const diagnostics = [...file.diagnostics, ...result.diagnostics];
  if (!result.ir || diagnostics.some((d) => d.severity === "error"))
    return reportFiles(reporter, [{ path: file.path, diagnostics }], result.sources);
  return result.ir;
}

/** The space's name, or with its file when two files define spaces of one name. */
export function uniqueLabel(space: string, file: string, taken: readonly { readonly label: string }[]): string {
  const used = new Set(taken.map((s) => s.label));
  if (!used.has(space)) return space;
  const withFile = `${space} (${file})`;
  let label = withFile;
  for (let n = 2; used.has(label); n++) label = `${withFile} #${n}`;
  return label;
}

/** undefined when written, else why not (a missing folder, permissions): the user's problem, not a crash. */
export function writeText(path: string, text: string, shown: string): Diagnostic | undefined {
  try {
    writeFileSync(path, text, "utf8");
    return undefined;
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    return fileError(codeOf("WriteFailed"), `cannot write ${shown}: ${reason}`, shown);
  }
}
