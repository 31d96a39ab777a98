/**
 * The .figs files of the editor's workspace folders, for find-references:
 * folders that hold no sources (node_modules, dist, hidden ones) are skipped,
 * and the walk stops at MAX_FILES so a huge folder cannot stall the server.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";

export const MAX_FILES = 2000;
const SKIPPED = new Set(["node_modules", "dist", "out", "runs"]);

export function figsFilesUnder(folders: readonly string[], limit = MAX_FILES): string[] {
  const found: string[] = [];
  const stack = [...folders];
  while (stack.length > 0 && found.length < limit) {
    const folder = stack.pop()!;
    let entries;
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (entry.name.startsWith(".") || SKIPPED.has(entry.name)) continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) stack.push(path);
      else if (entry.isFile() && entry.name.endsWith(".figs") && found.length < limit) found.push(path);
    }
  }
  return found;
}
