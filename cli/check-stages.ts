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

export const checkStages: readonly CheckStage[] = [parseStage];

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
