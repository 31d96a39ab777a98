/**
 * Go to definition and find references. A definition's references are
 * searched in every file that could name it — the open documents, the
 * workspace's .figs files and the definition's own file — each resolved with
 * its own imports, so a name counts only where it really means that binding.
 */
import type { Location } from "vscode-languageserver";
import { bindingKey, isLocal, type Binding } from "./bindings.js";
import { figsFilesUnder } from "./files.js";
import { importsOf, importTarget } from "./import-places.js";
import { occurrenceAt, occurrencesOf } from "./occurrences.js";
import { FILE_START, lspRange } from "./ranges.js";
import type { FileModel, Workspace } from "./workspace.js";

export function definitionAt(workspace: Workspace, model: FileModel, offset: number): Location | null {
  const imported = importAt(workspace, model, offset);
  if (imported) return { uri: workspace.uriFor(imported), range: FILE_START };
  const binding = model.names ? occurrenceAt(model.names, offset)?.binding : undefined;
  return binding ? { uri: workspace.uriFor(binding.range.file), range: lspRange(binding.range) } : null;
}

/** The file an import statement's path names, when the offset is on that path. */
function importAt(workspace: Workspace, model: FileModel, offset: number): string | undefined {
  const statement = (model.program ? importsOf(model.program) : []).find(
    (item) => item.path.range.start.offset <= offset && offset <= item.path.range.end.offset,
  );
  return statement ? importTarget(model.path, statement, workspace.host.stdlibDir) : undefined;
}

export function referencesAt(
  workspace: Workspace,
  model: FileModel,
  offset: number,
  includeDeclaration: boolean,
): Location[] {
  const binding = model.names ? occurrenceAt(model.names, offset)?.binding : undefined;
  if (!binding) return [];
  const files = isLocal(binding) ? [model.path] : new Set([model.path, ...candidateFiles(workspace, binding)]);
  const seen = new Set<string>();
  const locations: Location[] = [];
  for (const file of files) {
    const names = file === model.path ? model.names : workspace.model(file)?.names;
    for (const occurrence of names ? occurrencesOf(names, binding) : []) {
      if (occurrence.role === "declaration" && !includeDeclaration) continue;
      const key = bindingKey(occurrence);
      if (seen.has(key)) continue;
      seen.add(key);
      locations.push({ uri: workspace.uriFor(occurrence.range.file), range: lspRange(occurrence.range) });
    }
  }
  return locations;
}

/** Files that may name the binding: those whose text holds the name as a word. */
function candidateFiles(workspace: Workspace, binding: Binding): string[] {
  const all = new Set([binding.range.file, ...workspace.openPaths(), ...figsFilesUnder(workspace.folders)]);
  const word = new RegExp(`(^|[^A-Za-z0-9_])${binding.name}($|[^A-Za-z0-9_])`);
  return [...all].filter((file) => word.test(workspace.textOf(file) ?? ""));
}
