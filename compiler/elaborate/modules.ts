/**
 * The load stage: a file and everything it imports, read through the Host and
 * each parsed once. User imports are relative to the importing file;
 * "stdlib/…" comes from the package's stdlib folder. A cycle is reported at
 * the import that closes it, naming the chain, with a note at every import
 * along it.
 */
import { existsSync } from "node:fs";
import { dirname, join, posix } from "node:path";
import { fileURLToPath } from "node:url";
import type { Import, Program } from "../../grammar/ast.js";
import { parse, type ParseResult } from "../../grammar/parse.js";
import { formatBytes, MAX_TOTAL_SOURCE_BYTES, readSource, type ReadResult } from "../../grammar/read-source.js";
import { codeOf } from "../../diagnostics/codes.js";
import { error, fileError, type Diagnostic, type RelatedNote } from "../../diagnostics/diagnostic.js";
import { SourceFile } from "../../diagnostics/source.js";

export interface Host {
  readFile(path: string): ReadResult;
  readonly stdlibDir: string;
}

export interface LoadedModule {
  readonly path: string;
  readonly program: Program;
}

export interface LoadResult {
  /** The root file's path. */
  readonly root: string;
  /** Imported files before the files that import them; the root file last. */
  readonly modules: LoadedModule[];
  readonly sources: Map<string, SourceFile>;
  readonly diagnostics: Diagnostic[];
}

interface ImportStep {
  readonly from: string;
  readonly to: string;
  readonly statement: Import;
}

const STDLIB_PREFIX = "stdlib/";

export function resolveImport(importer: string, spec: string, stdlibDir: string): string {
  if (spec.startsWith(STDLIB_PREFIX))
    return posix.join(stdlibDir.replace(/\\/g, "/"), spec.slice(STDLIB_PREFIX.length));
  return posix.join(posix.dirname(importer.replace(/\\/g, "/")), spec);
}

export interface LoadRequest {
  readonly path: string;
  /** The root file's text; read through the host when absent. */
  readonly text?: string;
}

/**
 * Imported files parsed by earlier loads, by path: `figs check` of many files
 * parses a file they all import once. An entry is used only while the file's
 * text is the same. Root files are looked up but not kept (a check of a
 * folder would otherwise hold the syntax tree of every file in it).
 */
export type ParseCache = Map<string, ParseResult>;

export function load(request: LoadRequest, host: Host, cache?: ParseCache): LoadResult {
  const rootPath = request.path;
  const result: LoadResult = { root: rootPath, modules: [], sources: new Map(), diagnostics: [] };
  const state = new Map<string, "active" | "done">();
  const stack: ImportStep[] = [];
  let totalBytes = 0;

  const visit = (path: string, text: string | undefined, via?: ImportStep): void => {
    const read = text === undefined ? host.readFile(path) : { ok: true, text, diagnostics: [] };
    if (!read.ok) {
      result.diagnostics.push(via ? importNotFound(via, read) : rootNotFound(path, read));
      return;
    }
    totalBytes += Buffer.byteLength(read.text, "utf8");
    if (via && totalBytes > MAX_TOTAL_SOURCE_BYTES) {
      result.diagnostics.push(importsTooLarge(via, totalBytes));
      return;
    }
    const parsed = parseOnce(path, read.text, cache, via !== undefined);
    result.sources.set(path, parsed.source);
    result.diagnostics.push(...read.diagnostics, ...parsed.diagnostics);
    state.set(path, "active");
    for (const item of parsed.ast?.items ?? []) {
      if (item.kind !== "Import") continue;
      const step = { from: path, to: resolveImport(path, item.path.value, host.stdlibDir), statement: item };
      const seen = state.get(step.to);
      if (seen === "active") result.diagnostics.push(importCycle([...stack, step]));
      if (seen) continue;
      stack.push(step);
      visit(step.to, undefined, step);
      stack.pop();
    }
    state.set(path, "done");
    if (parsed.ast) result.modules.push({ path, program: parsed.ast });
  };

  try {
    visit(rootPath, request.text);
  } catch (cause) {
    result.diagnostics.push(internalError(rootPath, cause));
  }
  if (!result.sources.has(rootPath)) result.sources.set(rootPath, new SourceFile(rootPath, ""));
  return result;
}

/** A bug in figs, reported like any problem (FIGS9999) instead of thrown: the stages never throw. */
function internalError(path: string, cause: unknown): Diagnostic {
  const reason = cause instanceof Error ? cause.message : String(cause);
  const message = `internal error while loading (${reason}); please report it`;
  return fileError(codeOf("InternalError"), message, path);
}

function parseOnce(path: string, text: string, cache: ParseCache | undefined, keep: boolean): ParseResult {
  const cached = cache?.get(path);
  if (cached?.source.text === text) return cached;
  const parsed = parse(text, path);
  if (keep) cache?.set(path, parsed);
  return parsed;
}

function rootNotFound(path: string, read: ReadResult): Diagnostic {
  return read.diagnostics[0] ?? fileError(codeOf("FileNotFound"), `cannot read '${path}'`, path);
}

function importNotFound(via: ImportStep, read: ReadResult): Diagnostic {
  const refused = read.diagnostics[0];
  if (refused?.code === codeOf("SourceTooLarge")) {
    const reason = refused.message.replace(/^this file is /, "it is ");
    return error(
      refused.code,
      `cannot import "${via.statement.path.value}": ${reason} (looked for '${via.to}')`,
      via.statement.path.range,
    );
  }
  // The reader's message names the path it was given; keep only its reason ("no such file").
  const reason = read.diagnostics[0]?.message.split("': ").pop() ?? "cannot read it";
  const message = `cannot import "${via.statement.path.value}": ${reason} (looked for '${via.to}')`;
  return error(codeOf("ImportNotFound"), message, via.statement.path.range);
}

/** FIGS4005 for the import that takes the text of one compile past the limit. */
function importsTooLarge(via: ImportStep, totalBytes: number): Diagnostic {
  const message =
    `cannot import "${via.statement.path.value}": with it, this file and its imports come to ` +
    `${formatBytes(totalBytes)}, more than the ` +
    `${formatBytes(MAX_TOTAL_SOURCE_BYTES)} figs reads for one compile (the source-size limit); import less`;
  return error(codeOf("SourceTooLarge"), message, via.statement.path.range);
}

/** `steps` ends with the import that leads back to a file still being loaded. */
function importCycle(steps: readonly ImportStep[]): Diagnostic {
  const closing = steps[steps.length - 1]!;
  const start = steps.findIndex((s) => s.from === closing.to);
  const cycle = steps.slice(start);
  const chain = [...cycle.map((s) => s.from), closing.to].join(" → ");
  const notes: RelatedNote[] = cycle
    .slice(0, -1)
    .map((s) => ({ message: `'${s.from}' imports '${s.to}' here`, range: s.statement.range }));
  return error(codeOf("ImportCycle"), `import cycle: ${chain}`, closing.statement.range, notes);
}

/** Reads files from disk; the stdlib is the `stdlib/` folder of the package this module belongs to. */
export function defaultHost(): Host {
  return { readFile: readSource, stdlibDir: join(packageRoot(), "stdlib") };
}

/** The nearest folder holding package.json above this module: works from the TS sources and from dist/. */
export function packageRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (let dir = here; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json"))) return dir;
    if (dirname(dir) === dir) return here;
  }
}
