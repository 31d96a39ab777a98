/**
 * Reading the files named on the command line. Paths are shown as the user
 * typed them but read relative to `io.cwd`; `-` is standard input.
 */
import { readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { codeOf } from "../diagnostics/codes.js";
import { fileError, type Diagnostic, type RelatedNote } from "../diagnostics/diagnostic.js";
import type { SourceRange } from "../diagnostics/source.js";
import { decodeSource, readSource } from "../grammar/read-source.js";
import { defaultHost, type Host } from "../compiler/index.js";
import type { CliIo } from "./io.js";

export const STDIN_PATH = "-";
/** How standard input is named in diagnostics. */
export const STDIN_NAME = "<stdin>";

export interface LoadedFile {
  /** The path as shown in diagnostics (as typed, or `<stdin>`). */
  readonly path: string;
  /** Where it lives on disk; undefined for standard input. */
  readonly absolutePath?: string;
  /** False when the file could not be read at all (then `text` is empty). */
  readonly readable: boolean;
  readonly text: string;
  /** Encoding and IO problems; a file with any of these must not be rewritten. */
  readonly diagnostics: readonly Diagnostic[];
}

const SKIPPED_FOLDERS = new Set(["node_modules"]);

/**
 * FILES… as given, each folder replaced by the .figs files below it, sorted
 * (hidden folders and node_modules skipped). A folder with none stays as
 * given, so reading it reports that it holds none.
 */
export function expandFolders(io: CliIo, paths: readonly string[]): string[] {
  return paths.flatMap((path) => {
    const absolute = resolve(io.cwd, path);
    if (path === STDIN_PATH || !isFolder(absolute)) return [path];
    const found = figsFilesBelow(absolute).map((relative) => join(path, relative));
    return found.length > 0 ? found : [path];
  });
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Paths relative to `folder`; unreadable subfolders are skipped. */
function figsFilesBelow(folder: string, prefix = ""): string[] {
  let entries;
  try {
    entries = readdirSync(join(folder, prefix), { withFileTypes: true });
  } catch {
    return [];
  }
  const found: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const relative = join(prefix, entry.name);
    if (entry.isDirectory() && !entry.name.startsWith(".") && !SKIPPED_FOLDERS.has(entry.name))
      found.push(...figsFilesBelow(folder, relative));
    else if (entry.isFile() && entry.name.endsWith(".figs")) found.push(relative);
  }
  return found;
}

export async function loadFile(io: CliIo, path: string): Promise<LoadedFile> {
  if (path === STDIN_PATH) {
    const { tooLarge, ...decoded } = decodeSource(await io.readStdin(), STDIN_NAME);
    return { path: STDIN_NAME, readable: tooLarge !== true, ...decoded };
  }
  const absolutePath = resolve(io.cwd, path);
  if (isFolder(absolutePath)) return folderFile(path, absolutePath);
  const result = readSource(absolutePath);
  const diagnostics =
    absolutePath === path ? result.diagnostics : result.diagnostics.map((d) => renamed(d, absolutePath, path));
  return { path, absolutePath, readable: result.ok, text: result.text, diagnostics };
}

/** A folder named where a file is read: one without .figs files (as `check` and `fmt` leave them), or any folder. */
function folderFile(path: string, absolutePath: string): LoadedFile {
  const found = figsFilesBelow(absolutePath).length;
  const message =
    found === 0
      ? `'${path}' is a folder that holds no .figs files (hidden folders and node_modules are not searched)`
      : `'${path}' is a folder, not a .figs file: name one of the ${found} .figs files below it`;
  const diagnostic = fileError(codeOf("FileNotFound"), message, path);
  return { path, absolutePath, readable: false, text: "", diagnostics: [diagnostic] };
}

/** readSource names files by the path it was given; show the user's spelling instead. */
export function renamed(diagnostic: Diagnostic, from: string, to: string): Diagnostic {
  const message = diagnostic.message.split(`'${from}'`).join(`'${to}'`);
  const notes = diagnostic.notes.map((note): RelatedNote =>
    note.range ? { ...note, range: renamedRange(note.range, from, to) } : note,
  );
  const file = diagnostic.file === from ? { file: to } : {};
  const range = diagnostic.range ? { range: renamedRange(diagnostic.range, from, to) } : {};
  return { ...diagnostic, message, ...file, ...range, notes };
}

function renamedRange(range: SourceRange, from: string, to: string): SourceRange {
  return range.file === from ? { ...range, file: to } : range;
}

/** Where a compile run by the command line reads imports: relative to its working folder, like the file itself. */
export function cwdHost(io: CliIo): Host {
  return { readFile: (path) => readSource(resolve(io.cwd, path)), stdlibDir: defaultHost().stdlibDir };
}
