// Shared by the run-folder safety tests.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** Every file below `dir` with its size and mtime: equal snapshots mean nothing was touched. */
export function snapshot(dir: string): Record<string, string> {
  const entries: Record<string, string> = {};
  if (!existsSync(dir)) return entries;
  const walk = (path: string, rel: string): void => {
    for (const name of readdirSync(path).sort()) {
      const full = join(path, name);
      const stat = statSync(full);
      if (stat.isDirectory()) walk(full, `${rel}${name}/`);
      else entries[`${rel}${name}`] = `${stat.size}@${stat.mtimeMs}`;
    }
  };
  walk(dir, "");
  return entries;
}
