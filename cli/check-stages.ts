/**
 * The stages `figs check` runs on each file, in order. Each stage reads what
 * the earlier ones produced and adds its own products and diagnostics; the
 * run stops after the first stage that reports an error, because later
 * stages need a clean input. New compiler stages (elaborate, shapes, masks,
 * cost) join by appending to `checkStages`.
 */
import { hasErrors, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { SourceFile } from "../diagnostics/source.js";
import type { Program } from "../grammar/ast.js";
import { parse } from "../grammar/parse.js";
import { elaborate, type Host } from "../compiler/elaborate/index.js";
import { placeMasks } from "../compiler/masks/index.js";
import type { LoadedFile } from "./source-files.js";

export interface CheckState {
  readonly file: LoadedFile;
  /** Every source text a stage has read (the file itself, later its imports), for rendering. */
  readonly sources: readonly SourceFile[];
  readonly ast?: Program;
}

export interface StageResult {
  readonly state: CheckState;
  readonly diagnostics: readonly Diagnostic[];
}

export interface CheckStage {
  readonly name: string;
  run(state: CheckState): StageResult;
}

export const parseStage: CheckStage = {
  name: "parse",
  run(state) {
    const parsed = parse(state.file.text, state.file.path);
    const next: CheckState = { ...state, sources: [...state.sources, parsed.source], ...(parsed.ast ? { ast: parsed.ast } : {}) };
    return { state: next, diagnostics: parsed.diagnostics };
  },
};

/**
 * Elaborates every space the file defines (with its default parameters) and
 * places its masks; a file without spaces (a library) has its definitions
 * checked on their own.
 */
export function compileStage(host?: Host): CheckStage {
  return {
    name: "compile",
    run(state) {
      const spaces = (state.ast?.items ?? []).flatMap((item) => (item.kind === "Definition" && item.definitionKind === "space" ? [item.name.name] : []));
      const requests = spaces.length === 0 ? [{ library: true }] : spaces.map((space) => ({ space }));
      const diagnostics: Diagnostic[] = [];
      const sources = new Map(state.sources.map((source) => [source.path, source]));
      for (const extra of requests) {
        const result = elaborate({ path: state.file.path, text: state.file.text, ...extra }, host);
        result.sources.forEach((source, path) => sources.set(path, source));
        diagnostics.push(...result.diagnostics.filter((d) => !diagnostics.some((seen) => sameDiagnostic(seen, d))));
        if (result.graph) diagnostics.push(...placeMasks(result.graph).diagnostics);
      }
      return { state: { ...state, sources: [...sources.values()] }, diagnostics };
    },
  };
}

/** Every space elaborates the shared definitions; report each problem once. */
function sameDiagnostic(a: Diagnostic, b: Diagnostic): boolean {
  return a.code === b.code && a.message === b.message && a.range.file === b.range.file && a.range.start.offset === b.range.start.offset;
}

export const checkStages: readonly CheckStage[] = [parseStage, compileStage()];

export interface CheckOutcome {
  readonly diagnostics: readonly Diagnostic[];
  readonly sources: readonly SourceFile[];
}

/** Runs the stages on a file that was read; read and encoding problems stop it before any stage. */
export function runCheckStages(file: LoadedFile, stages: readonly CheckStage[] = checkStages): CheckOutcome {
  let state: CheckState = { file, sources: [] };
  const diagnostics: Diagnostic[] = [...file.diagnostics];
  if (!file.readable) return { diagnostics, sources: [] };
  for (const stage of stages) {
    const result = stage.run(state);
    state = result.state;
    diagnostics.push(...result.diagnostics);
    if (hasErrors(diagnostics)) break;
  }
  return { diagnostics, sources: state.sources };
}
