/**
 * The extension's code (editors/vscode/src): which command starts the
 * language server for each `figs.path` setting, and that the sources
 * typecheck against VS Code's API (they are outside the main tsconfig, whose
 * types do not include `vscode`).
 */
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { serverCommand } from "../../editors/vscode/src/server-command.js";

const REPO_ROOT = path.resolve(import.meta.dirname, "../..");

describe("the command that starts the language server", () => {
  it("is figs on the PATH by default", () => {
    expect(serverCommand(undefined)).toEqual({ command: "figs", args: ["lsp"] });
    expect(serverCommand("  ")).toEqual({ command: "figs", args: ["lsp"] });
  });

  it("runs through npx, a .js file through node, anything else as the executable's path", () => {
    expect(serverCommand("npx figs")).toEqual({ command: "npx", args: ["figs", "lsp"] });
    expect(serverCommand("npx --yes figs")).toEqual({ command: "npx", args: ["--yes", "figs", "lsp"] });
    expect(serverCommand("/home/me/figs/dist/bundle/figs.js")).toEqual({
      command: "node",
      args: ["/home/me/figs/dist/bundle/figs.js", "lsp"],
    });
    expect(serverCommand("/opt/my tools/figs")).toEqual({ command: "/opt/my tools/figs", args: ["lsp"] });
  });
});

describe("the extension's sources", () => {
  it("typecheck against the VS Code API and vscode-languageclient", () => {
    const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
    const run = spawnSync(process.execPath, [tsc, "-p", "editors/vscode/tsconfig.json"], {
      cwd: REPO_ROOT,
      encoding: "utf8",
    });
    expect(run.status, run.stdout + run.stderr).toBe(0);
  });
});
