/**
 * Packages the VS Code extension in editors/vscode as a .vsix with vsce:
 * editors/vscode/figs-<version>.vsix, or the file given with `--out PATH`.
 * `npm run build:vsix` regenerates the grammar first (scripts/gen-editor-grammar.ts).
 *
 * First the extension's code (src/extension.ts, the LSP client, with
 * vscode-languageclient) is bundled with esbuild into one CommonJS file,
 * out/extension.js, with only `vscode` left external (VS Code provides it).
 * The package then needs no node_modules, so `--no-dependencies` keeps vsce
 * from running npm, and packaging needs no network. The repository has no
 * public URL to name yet, hence `--allow-missing-repository` (vsce would ask).
 */
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

export const EXTENSION_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../editors/vscode");

/** The bundled client, where package.json's `main` points. */
export const EXTENSION_BUNDLE = path.join(EXTENSION_DIR, "out", "extension.js");

/** Bundles src/extension.ts into out/extension.js: CommonJS, as VS Code loads extensions. */
export async function bundleExtension(outfile: string = EXTENSION_BUNDLE): Promise<void> {
  await build({
    entryPoints: [path.join(EXTENSION_DIR, "src", "extension.ts")],
    outfile,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node18",
    external: ["vscode"],
    // Smaller, while identifiers stay readable in the stack traces of VS Code's extension log.
    minifySyntax: true,
    minifyWhitespace: true,
    logLevel: "warning",
  });
}

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

async function main(): Promise<number> {
  const out = outArguments(process.argv.slice(2));
  await bundleExtension();
  const args = ["package", "--no-dependencies", "--allow-missing-repository", ...out];
  const run = spawnSync(process.execPath, [vsceScript(), ...args], { cwd: EXTENSION_DIR, stdio: "inherit" });
  return run.status ?? 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  process.exitCode = await main();
