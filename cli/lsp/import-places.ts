/**
 * Which import of a file leads to another file (directly or through the
 * files it imports): where a problem of that other file is shown.
 */
import { resolveImport, type LoadedModule } from "../../compiler/index.js";
import type { Import, Program } from "../../grammar/ast.js";
import type { ImportPlace } from "./diagnostics.js";
import { lspRange } from "./ranges.js";

export function importsOf(program: Program): Import[] {
  return program.items.filter((item): item is Import => item.kind === "Import");
}

export function importTarget(importer: string, statement: Import, stdlibDir: string): string {
  return resolveImport(importer, statement.path.value, stdlibDir);
}

export function importPlaces(
  path: string,
  program: Program | undefined,
  modules: readonly LoadedModule[],
  stdlibDir: string,
): ImportPlace {
  const edges = new Map(
    modules.map((module) => [
      module.path,
      importsOf(module.program).map((statement) => importTarget(module.path, statement, stdlibDir)),
    ]),
  );
  const reaches = (from: string, file: string): boolean => {
    const seen = new Set<string>();
    const stack = [from];
    while (stack.length > 0) {
      const next = stack.pop()!;
      if (next === file) return true;
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(...(edges.get(next) ?? []));
    }
    return false;
  };
  return (file) => {
    for (const statement of program ? importsOf(program) : []) {
      if (!reaches(importTarget(path, statement, stdlibDir), file)) continue;
      return { range: lspRange(statement.path.range), spec: statement.path.value };
    }
    return undefined;
  };
}
