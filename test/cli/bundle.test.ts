/**
 * The bundled `figs` (scripts/bundle-cli.ts; `bin.figs` runs it) works as a
 * real process from any working folder, prints what the sources print, and
 * keeps the heavy libraries out of what every command loads. The bundle is
 * built fresh into a folder beside dist/bundle (same depth below the package
 * root, so paths found from a module's location resolve alike). Nothing here
 * is timed: start-up speed is `npm run bench:startup`.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../cli/main.js";
import {
  bundleCli,
  bundledSources,
  externalImports,
  loadedOutputs,
  PACKAGE_ROOT,
  STARTUP_SOURCES,
  type BundleReport,
} from "../../scripts/bundle-cli.js";
import { memoryIo, tempFolders } from "./helpers.js";

const HEAVY_PACKAGES = /^(@tensorflow\/|vega|@viz-js\/|prettier)/;
const folderWith = tempFolders();
let bundle: BundleReport;

beforeAll(async () => {
  bundle = await bundleCli(join(PACKAGE_ROOT, "dist", `bundle-test-${process.pid}`));
});

afterAll(() => rmSync(bundle.outdir, { recursive: true, force: true }));

/** A temporary working folder holding copies of the repository's example space and ResNet-152. */
function workingFolder(): string {
  const cwd = folderWith({});
  copyFileSync(join(PACKAGE_ROOT, "examples", "mbconv.figs"), join(cwd, "mbconv.figs"));
  copyFileSync(join(PACKAGE_ROOT, "spaces", "resnet152.figs"), join(cwd, "resnet152.figs"));
  return cwd;
}

function runBundle(args: readonly string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const child = spawnSync(process.execPath, [bundle.entry, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env },
  });
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

async function runSources(
  args: readonly string[],
  cwd: string,
): Promise<{ status: number; stdout: string; stderr: string }> {
  const run = memoryIo({ cwd });
  const status = await main(args, run.io);
  return { status, stdout: run.stdout(), stderr: run.stderr() };
}

describe("the bundled figs, run from a temporary working folder", () => {
  it("prints the version of package.json", () => {
    const manifest = JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string };
    const run = runBundle(["--version"], folderWith({}));
    expect(run).toEqual({ status: 0, stdout: `figs ${manifest.version}\n`, stderr: "" });
  });

  it("checks an example like the sources do", async () => {
    const cwd = workingFolder();
    const run = runBundle(["check", "mbconv.figs"], cwd);
    expect(run).toEqual({ ...(await runSources(["check", "mbconv.figs"], cwd)), status: 0 });
    expect(run.stderr).toBe("1 file ok\n");
  });

  it("prints the cost of a space that imports the stdlib like the sources do", async () => {
    const cwd = workingFolder();
    const run = runBundle(["cost", "resnet152.figs"], cwd);
    expect(run).toEqual({ ...(await runSources(["cost", "resnet152.figs"], cwd)), status: 0 });
    expect(run.stdout).toMatch(/params\s+[\d,]+/);
  });

  it("loads a lazy command that pulls in TensorFlow.js for its help", () => {
    const run = runBundle(["search", "--help"], folderWith({}));
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Usage: figs search /);
  });

  it("reports a bad file with its diagnostics and exit status 1", () => {
    const cwd = folderWith({ "bad.figs": "op x() {\n  relu ->\n}\n" });
    const run = runBundle(["check", "bad.figs"], cwd);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^bad\.figs:3:1: error FIGS1105: /);
  });
});

describe("what the bundled figs loads before it runs a command", () => {
  const loaded = (sources: readonly string[]) => loadedOutputs(bundle.metafile, sources);

  it("is no heavy library: TensorFlow.js, vega, Graphviz and prettier stay in lazy chunks", () => {
    const imported = externalImports(bundle.metafile, loaded(STARTUP_SOURCES));
    expect(imported).toContain("node:fs");
    expect(imported.filter((name) => HEAVY_PACKAGES.test(name))).toEqual([]);
    const everywhere = externalImports(bundle.metafile, Object.keys(bundle.metafile.outputs));
    expect(everywhere).toContain("@tensorflow/tfjs");
  });

  it("holds the registry and the parser (built on first use), not the commands that train", () => {
    const sources = bundledSources(bundle.metafile, loaded(STARTUP_SOURCES));
    expect(sources).toEqual(
      expect.arrayContaining(["cli/commands/index.ts", "cli/commands/check.ts", "grammar/parser.ts"]),
    );
    expect(sources.filter((source) => /^cli\/commands\/(search|retrain|demo|diff)\.ts$/.test(source))).toEqual([]);
  });

  it("is, for --version, neither the parser nor the compiler", () => {
    const sources = bundledSources(bundle.metafile, loaded(["cli/main.ts"]));
    expect(sources).toContain("cli/main.ts");
    expect(sources.filter((source) => /chevrotain|^grammar\/|^compiler\//.test(source))).toEqual([]);
  });

  it("is one flat folder, so paths found from a module's location resolve alike from every chunk", () => {
    const folders = Object.keys(bundle.metafile.outputs).map((file) => dirname(join(PACKAGE_ROOT, file)));
    expect(new Set(folders)).toEqual(new Set([bundle.outdir]));
  });
});
