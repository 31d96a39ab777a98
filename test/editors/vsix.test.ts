/**
 * `npm run build:vsix` packages editors/vscode with vsce (scripts/build-vsix.ts);
 * this builds into a temporary folder and looks inside the package.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EDITOR_GRAMMAR_FILE } from "../../scripts/editor-grammar.js";
import { readZip } from "./zip.js";

const REPO_ROOT = path.resolve(import.meta.dirname, "../..");
const out = mkdtempSync(path.join(tmpdir(), "figs-vsix-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe("the VS Code extension package", () => {
  it("holds the manifest, the language configuration, the grammar and the bundled client, and no tests", () => {
    const file = path.join(out, "figs.vsix");
    const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/build-vsix.ts", "--out", file], {
      cwd: REPO_ROOT,
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);

    const entries = new Map(readZip(readFileSync(file)).map((entry) => [entry.name, entry]));
    const text = (name: string) => entries.get(name)?.data().toString("utf8") ?? `(no ${name} in the package)`;
    expect([...entries.keys()]).toEqual(
      expect.arrayContaining([
        "[Content_Types].xml",
        "extension.vsixmanifest",
        "extension/package.json",
        "extension/language-configuration.json",
        "extension/syntaxes/figs.tmLanguage.json",
        "extension/out/extension.js",
      ]),
    );
    const unwanted = /^extension\/(test|src|node_modules)\/|^extension\/tsconfig\.json$|\.map$/;
    expect([...entries.keys()].filter((name) => unwanted.test(name))).toEqual([]);

    const manifest = JSON.parse(text("extension/package.json")) as {
      main: string;
      activationEvents: string[];
      contributes: {
        languages: { id: string; extensions: string[] }[];
        configuration: { properties: Record<string, { default: unknown }> };
      };
    };
    expect(manifest.contributes.languages).toEqual([expect.objectContaining({ id: "figs", extensions: [".figs"] })]);
    expect(manifest.main).toBe("./out/extension.js");
    expect(manifest.activationEvents).toEqual(["onLanguage:figs"]);
    expect(manifest.contributes.configuration.properties["figs.path"]?.default).toBe("figs");

    // One CommonJS file: the language client is inside it; only VS Code and Node's own modules are required.
    const client = text("extension/out/extension.js");
    expect(client).toContain("figs language server");
    const required = new Set([...client.matchAll(/require\("([^"]+)"\)/g)].map((match) => match[1]));
    expect([...required].filter((name) => name !== "vscode" && !builtinModules.includes(name!))).toEqual([]);
    expect(text("extension/syntaxes/figs.tmLanguage.json")).toBe(
      readFileSync(path.join(REPO_ROOT, EDITOR_GRAMMAR_FILE), "utf8"),
    );
    expect(text("extension.vsixmanifest")).toContain('Language="en-US" Id="figs"');
  });
});
