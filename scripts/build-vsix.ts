/**
 * Packages the VS Code extension in editors/vscode as a .vsix with vsce:
 * editors/vscode/figs-<version>.vsix, or the file given with `--out PATH`.
 * `npm run build:vsix` regenerates the grammar first (scripts/gen-editor-grammar.ts).
 *
 * The extension has no code and no dependencies, so `--no-dependencies` keeps
 * vsce from running npm, and packaging needs no network. The repository has no
 * public URL to name yet, hence `--allow-missing-repository` (vsce would ask).
 */
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const EXTENSION_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../editors/vscode");

/** vsce's command-line script, run with this Node (the .bin shims differ between platforms). */
function vsceScript(): string {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve("@vscode/vsce/package.json");
  const { bin } = require(manifest) as { bin: Record<string, string> };
  return path.join(path.dirname(manifest), bin["vsce"]!);
}

function outArguments(argv: readonly string[]): string[] {
  if (argv.length === 0) return [];
  if (argv.length === 2 && argv[0] === "--out") return ["--out", path.resolve(argv[1]!)];
  console.error("usage: tsx scripts/build-vsix.ts [--out FILE.vsix]");
  process.exit(1);
}

const args = ["package", "--no-dependencies", "--allow-missing-repository", ...outArguments(process.argv.slice(2))];
const run = spawnSync(process.execPath, [vsceScript(), ...args], { cwd: EXTENSION_DIR, stdio: "inherit" });
process.exit(run.status ?? 1);
