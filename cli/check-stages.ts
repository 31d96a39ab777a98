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
import { parse, type ParseResult } from "../grammar/parse.js";
import { defaultHost, elaborateSpaces, type Host } from "../compiler/elaborate/index.js";
import { placeMasks } from "../compiler/masks/index.js";
import type { LoadedFile } from "./source-files.js";

export interface CheckState {
  readonly file: LoadedFile;
  /** Every source text a stage has read (the file itself, later its imports), for rendering. */
  readonly sources: readonly SourceFile[];
  readonly ast?: Program;
  /** The parse stage's result, so the compile stage does not parse the file again. */
  readonly parsed?: ParseResult;
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
    const next: CheckState = {
      ...state,
      sources: [...state.sources, parsed.source],
      parsed,
      ...(parsed.ast ? { ast: parsed.ast } : {}),
    };
    return { state: next, diagnostics: parsed.diagnostics };
  },
};

/**
 * Elaborates every space the file defines (with its default parameters) and
 * places its masks; a file without spaces (a library) has its definitions
 * checked on their own. The file is loaded once and its spaces share one
 * budget of nodes and steps (docs/architecture.md, "Limits").
 */
export function compileStage(host?: Host): CheckStage {
  return {
    name: "compile",
    run(state) {
      const request = {
        path: state.file.path,
        text: state.file.text,
        ...(state.parsed ? { parsed: state.parsed } : {}),
      };
      const result = elaborateSpaces(request, host ?? defaultHost(), (graph) => placeMasks(graph).diagnostics);
      const sources = new Map(state.sources.map((source) => [source.path, source]));
      result.sources.forEach((source, path) => sources.set(path, source));
      return { state: { ...state, sources: [...sources.values()] }, diagnostics: unique(result.diagnostics) };
    },
  };
}

/** Spaces share definitions; a problem found in several of them is reported once. */
function unique(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.code}|${d.range.file}|${d.range.start.offset}|${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
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
