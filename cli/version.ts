/**
 * The version printed by `figs --version`, read from package.json so there is
 * one place to bump it. The file sits two folders up from `dist/cli/` and one
 * up from `cli/` (when run from source), so walk up until it is found.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export function figsVersion(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 4; depth++) {
    const version = versionIn(join(folder, "package.json"));
    if (version !== undefined) return version;
    folder = dirname(folder);
  }
  return "unknown";
}

function versionIn(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  const manifest: unknown = JSON.parse(readFileSync(path, "utf8"));
  if (typeof manifest !== "object" || manifest === null) return undefined;
  const { name, version } = manifest as { name?: unknown; version?: unknown };
  return name === "figs" && typeof version === "string" ? version : undefined;
}
