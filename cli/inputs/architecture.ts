/**
 * What `figs retrain` trains: an exported architecture, given as its
 * arch.json (read and schema-checked; the space it came from is compiled
 * again with the recorded parameters and must be the same text, then cut to
 * the recorded widths) or as a pruned .figs (compiled at its full, literal
 * widths). runtime/retrain takes the result and never reads either itself.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { compile, type CostConvention, type Host, type Ir } from "../../compiler/index.js";
import { codeOf } from "../../diagnostics/codes.js";
import { fileError, type Diagnostic } from "../../diagnostics/diagnostic.js";
import type { SourceFile } from "../../diagnostics/source.js";
import { checkArchMatchesIr, readArch, type ArchJson } from "../../runtime/export/arch-json.js";
import { planExport } from "../../runtime/export/export.js";
import type { PrunedArchitecture } from "../../runtime/export/prune.js";
import { fullWidths } from "../../runtime/export/widths.js";

export interface ArchitectureSource {
  /** arch.json or pruned .figs, as the user wrote it. */
  readonly path: string;
  readonly cwd: string;
  readonly host: Host;
  /** For an arch.json: read the space from this file instead of the path it records. */
  readonly spaceOverride?: string;
  readonly convention?: CostConvention;
}

export interface LoadedArchitecture {
  readonly architecture?: PrunedArchitecture;
  readonly ir?: Ir;
  readonly arch?: ArchJson;
  readonly diagnostics: readonly Diagnostic[];
  readonly sources: ReadonlyMap<string, SourceFile>;
}

export function loadArchitecture(source: ArchitectureSource): LoadedArchitecture {
  return source.path.endsWith(".json") ? fromArchJson(source) : fromFigs(source);
}

function fromFigs(source: ArchitectureSource): LoadedArchitecture {
  const text = readText(resolve(source.cwd, source.path));
  if (text === undefined)
    return { diagnostics: [failure("FileNotFound", source.path, `cannot read ${source.path}`)], sources: new Map() };
  const compiled = compile(
    { path: source.path, text },
    { convention: source.convention ?? "keras", host: source.host },
  );
  if (!compiled.ir) return { diagnostics: compiled.diagnostics, sources: compiled.sources };
  const planned = planExport({ ir: compiled.ir, widths: fullWidths(compiled.ir) });
  if (!planned.plan) return { diagnostics: planned.diagnostics, sources: compiled.sources };
  return { architecture: planned.plan.architecture, ir: compiled.ir, diagnostics: [], sources: compiled.sources };
}

function fromArchJson(source: ArchitectureSource): LoadedArchitecture {
  const read = readArch(resolve(source.cwd, source.path));
  if (!read.arch) return { diagnostics: read.diagnostics, sources: new Map() };
  const arch = read.arch;
  const spaceFile = source.spaceOverride ?? arch.source.path;
  const text = readText(resolve(source.cwd, spaceFile));
  if (text === undefined) {
    const message =
      `${source.path} was exported from ${arch.source.path}, which cannot be read here; ` +
      "pass --space FILE, or retrain its pruned .figs instead";
    return { diagnostics: [failure("FileNotFound", spaceFile, message)], sources: new Map() };
  }
  const set = Object.fromEntries(Object.entries(arch.parameters).map(([name, value]) => [name, String(value)]));
  const compiled = compile(
    { path: spaceFile, text, set },
    { convention: source.convention ?? "keras", host: source.host },
  );
  if (!compiled.ir) {
    const mismatch = failure(
      "InvalidArch",
      source.path,
      `${source.path} does not fit ${spaceFile}: ` +
        "the space does not compile with the recorded parameters (is it another space?)",
    );
    return { diagnostics: [mismatch, ...compiled.diagnostics], sources: compiled.sources };
  }
  // The recorded sha256 must match the text read, wherever it was read from.
  const problems = checkArchMatchesIr(
    { ...arch, source: { ...arch.source, path: spaceFile } },
    compiled.ir,
    source.path,
  );
  if (problems.length > 0) return { diagnostics: problems, sources: compiled.sources };
  const planned = planExport({ ir: compiled.ir, widths: arch.widths.map((w) => w.width) });
  if (!planned.plan) return { diagnostics: planned.diagnostics, sources: compiled.sources };
  return { architecture: planned.plan.architecture, ir: compiled.ir, arch, diagnostics: [], sources: compiled.sources };
}

/** A problem of a whole file (no line of it to point at): rendered `file: error FIGS…: message`. */
function failure(kind: "FileNotFound" | "InvalidArch", file: string, message: string): Diagnostic {
  return fileError(codeOf(kind), message, file);
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}
