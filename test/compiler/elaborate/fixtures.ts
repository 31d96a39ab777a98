/** Shared helpers of the golden tests: fixture discovery and elaboration with the repo's stdlib. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { elaborate, type ElaborateRequest, type ElaborateResult } from "../../../compiler/elaborate/index.js";
import { readSource } from "../../../grammar/read-source.js";
import { renderDiagnostics } from "../../../diagnostics/render.js";

export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

/** The case folders of a fixture set, each holding an input.figs. */
export function fixtureCases(set: string): string[] {
  const dir = join(repoRoot, "test/fixtures", set);
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, "input.figs")))
    .map((entry) => entry.name)
    .sort();
}

type Options = Pick<ElaborateRequest, "space" | "set" | "limits">;

/**
 * Elaborates a fixture with repo-relative paths (so goldens hold no machine
 * paths) and an optional options.json next to it.
 */
export function elaborateFixture(set: string, name: string): ElaborateResult {
  const dir = join(repoRoot, "test/fixtures", set, name);
  const optionsPath = join(dir, "options.json");
  const options = existsSync(optionsPath) ? (JSON.parse(readFileSync(optionsPath, "utf8")) as Options) : {};
  const path = relative(repoRoot, join(dir, "input.figs")).split("\\").join("/");
  const host = { readFile: (file: string) => readSource(join(repoRoot, file)), stdlibDir: "stdlib" };
  return elaborate({ path, ...options }, host);
}

export function render(result: ElaborateResult): string {
  return renderDiagnostics(result.diagnostics, (path) => result.sources.get(path)) + "\n";
}
