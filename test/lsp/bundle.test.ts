/**
 * `figs lsp` from the bundle (scripts/bundle-cli.ts), which is what `bin.figs`
 * — and so the VS Code extension — runs: the protocol libraries are CommonJS
 * bundled into an ESM chunk, so the server is started from a fresh bundle and
 * asked for diagnostics, a hover and a formatting (prettier stays external).
 */
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Hover, TextEdit } from "vscode-languageserver-protocol";
import { bundleCli, PACKAGE_ROOT, type BundleReport } from "../../scripts/bundle-cli.js";
import { fileUri, initialize, open, REPO_ROOT, startServer, stop } from "./client.js";

let bundle: BundleReport;

beforeAll(async () => {
  bundle = await bundleCli(join(PACKAGE_ROOT, "dist", `bundle-lsp-test-${process.pid}`));
});

afterAll(() => rmSync(bundle.outdir, { recursive: true, force: true }));

describe("figs lsp from the bundle", { timeout: 30_000 }, () => {
  it("checks, hovers and formats a space, then exits with 0", async () => {
    const client = startServer(bundle.entry);
    try {
      await initialize(client);
      const path = join(REPO_ROOT, "examples", "mbconv.figs");
      const uri = fileUri(path);
      const text = readFileSync(path, "utf8");
      const published = client.diagnostics(uri);
      await open(client, uri, text);
      expect(await published).toEqual([]);
      const hover = await client.connection.sendRequest<Hover>("textDocument/hover", {
        textDocument: { uri },
        position: { line: 26, character: 3 },
      });
      expect((hover.contents as { value: string }).value).toContain("**conv 3x3 /2 → 16x16x32** — `stem`");
      const edits = await client.connection.sendRequest<TextEdit[]>("textDocument/formatting", {
        textDocument: { uri },
        options: { tabSize: 2, insertSpaces: true },
      });
      expect(edits).toEqual([]);
      expect(await stop(client)).toBe(0);
    } finally {
      if (client.child.exitCode === null) client.child.kill();
    }
  });
});
