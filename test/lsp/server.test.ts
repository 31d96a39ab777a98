/**
 * The real `figs lsp --stdio` process, driven by a real LSP client
 * (vscode-languageserver-protocol over its stdio, client.ts): diagnostics as
 * a file is edited into an error and out of it, in the file and in the open
 * files that import it; hover, definition into stdlib/, references across
 * imports, symbols, folding, completion, formatting, inlay hints; a
 * malformed request or a file that does not parse leaves it running; and it
 * ends with shutdown and exit. Nothing here is timed (bench/lsp is).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type {
  CompletionItem,
  DocumentSymbol,
  FoldingRange,
  Hover,
  InlayHint,
  Location,
  TextEdit,
} from "vscode-languageserver-protocol";
import { codeOf } from "../../diagnostics/codes.js";
import { formatFigs } from "../../grammar/prettier/format.js";
import { tempFolder } from "../cli/helpers.js";
import { change, fileUri, initialize, open, REPO_ROOT, startServer, stop, type LspClient } from "./client.js";

const BLOCKS = [
  "# Two 3x3 convs, the second one strided.",
  "# Used by space.figs.",
  "block double_conv(width: int, stride: int = 1) {",
  "  conv(3, width) -> bn -> relu",
  "  conv(3, width, stride: stride) -> bn -> relu",
  "}",
  "",
].join("\n");

const SPACE = [
  'import "stdlib/mobile.figs"',
  'import "blocks.figs"',
  "",
  "let WIDTHS = [16, 32]",
  "",
  "space small(classes: int = 10) {",
  "  input(32, 32, 3)",
  "  conv_bn_relu6(3, 16, stride: 2) as stem",
  "  for w in WIDTHS {",
  "    double_conv(w, stride: 2)",
  "  }",
  "  global_avgpool -> dense(classes) fixed as logits",
  "}",
  "",
].join("\n");

const folder = tempFolder({ "blocks.figs": BLOCKS, "space.figs": SPACE });
const spaceUri = fileUri(join(folder.dir, "space.figs"));
const blocksUri = fileUri(join(folder.dir, "blocks.figs"));
let client: LspClient;
let capabilities: Record<string, unknown>;
let version = 1;

beforeAll(async () => {
  client = startServer();
  const result = (await initialize(client, folder.dir)) as { capabilities: Record<string, unknown> };
  capabilities = result.capabilities;
});

afterAll(() => {
  if (client.child.exitCode === null) client.child.kill();
  folder.remove();
});

const at = (line: number, character: number) => ({ line, character });
const request = <R>(method: string, params: object): Promise<R> => client.connection.sendRequest(method, params);
const hover = (uri: string, line: number, character: number) =>
  request<Hover | null>("textDocument/hover", { textDocument: { uri }, position: at(line, character) });
const hoverText = async (uri: string, line: number, character: number) =>
  ((await hover(uri, line, character))?.contents as { value: string } | undefined)?.value ?? "";

// A generous bound, only so that a server that never answers fails the test instead of hanging it.
describe("figs lsp", { timeout: 30_000 }, () => {
  it("announces what it serves", () => {
    expect(capabilities).toMatchObject({
      hoverProvider: true,
      definitionProvider: true,
      referencesProvider: true,
      documentSymbolProvider: true,
      foldingRangeProvider: true,
      documentFormattingProvider: true,
      documentRangeFormattingProvider: true,
      inlayHintProvider: true,
      completionProvider: expect.anything(),
    });
  });

  it("publishes nothing for a correct file, then an error as it is edited into one, then clears it", async () => {
    const clean = client.diagnostics(spaceUri);
    await open(client, spaceUri, SPACE);
    expect(await clean).toEqual([]);

    // An incremental change, as editors send them: "classes" → "clases" on line 11.
    const unknown = client.diagnostics(spaceUri, (d) => d.length > 0);
    await client.connection.sendNotification("textDocument/didChange", {
      textDocument: { uri: spaceUri, version: ++version },
      contentChanges: [{ range: { start: at(11, 29), end: at(11, 30) }, text: "" }],
    });
    const [diagnostic, ...rest] = await unknown;
    expect(rest).toEqual([]);
    expect(diagnostic).toMatchObject({
      code: codeOf("UnknownName"),
      severity: 1,
      source: "figs",
      range: { start: at(11, 26), end: at(11, 32) },
    });
    expect(diagnostic!.message).toContain("unknown name 'clases'");

    const cleared = client.diagnostics(spaceUri, (d) => d.length === 0);
    await change(client, spaceUri, SPACE, ++version);
    expect(await cleared).toEqual([]);
  });

  it("reports a syntax error with its code and range, and its notes as related information", async () => {
    const unclosed = SPACE.replace("double_conv(w, stride: 2)", "double_conv(w, stride: 2");
    const syntax = client.diagnostics(spaceUri, (d) => d.length > 0);
    await change(client, spaceUri, unclosed, ++version);
    const diagnostics = await syntax;
    expect(diagnostics.map((d) => d.code)).toContain(codeOf("MissingClosingDelimiter"));
    const missing = diagnostics.find((d) => d.code === codeOf("MissingClosingDelimiter"))!;
    expect(missing.range.start.line).toBeGreaterThanOrEqual(9);
    expect(missing.relatedInformation?.[0]?.location.uri).toBe(spaceUri);

    const cleared = client.diagnostics(spaceUri, (d) => d.length === 0);
    await change(client, spaceUri, SPACE, ++version);
    await cleared;
  });

  it("checks the open files that import an edited file, with its unsaved text", async () => {
    await open(client, blocksUri, BLOCKS);
    const renamed = BLOCKS.replace("block double_conv", "block twin_conv");
    const importer = client.diagnostics(spaceUri, (d) => d.length > 0);
    await change(client, blocksUri, renamed, ++version);
    const [diagnostic] = await importer;
    expect(diagnostic).toMatchObject({ code: codeOf("UnknownName"), range: { start: at(9, 4) } });

    const cleared = client.diagnostics(spaceUri, (d) => d.length === 0);
    await change(client, blocksUri, BLOCKS, ++version);
    await cleared;
  });

  it("shows a problem of an imported file on the import that leads to it", async () => {
    const bad = BLOCKS.replace("-> bn -> relu\n", "-> bn -> reluu\n");
    const importer = client.diagnostics(spaceUri, (d) => d.length > 0);
    await change(client, blocksUri, bad, ++version);
    const [diagnostic] = await importer;
    expect(diagnostic!.range.start).toEqual(at(1, 7));
    expect(diagnostic!.message).toMatch(/^in the file imported by "blocks.figs": /);
    expect(diagnostic!.relatedInformation?.[0]?.location.uri).toBe(blocksUri);

    const cleared = client.diagnostics(spaceUri, (d) => d.length === 0);
    await change(client, blocksUri, BLOCKS, ++version);
    await cleared;
  });

  it("hovers a definition with its signature, doc comment and cost, and a primitive with what it made", async () => {
    const block = await hoverText(spaceUri, 9, 6);
    expect(block).toContain("block double_conv(width: int, stride: int = 1)");
    expect(block).toContain("Two 3x3 convs, the second one strided.\nUsed by space.figs.");
    expect(block).toContain(`defined in [blocks.figs](${blocksUri}#L3)`);
    expect(block).toMatch(/in space `small`: 2 instances · params [\d,]+ · madds [\d,]+ at full width/);

    const dense = await hoverText(spaceUri, 11, 22);
    expect(dense).toContain("dense(width: int");
    expect(dense).toContain("**dense → 1x1x10** — `logits` in space `small`");
    expect(dense).toContain("params 330 · madds 320 at full width");
    expect(dense).toMatch(/mask group g\d+ \(logits\): 10 channels, fixed width/);

    const parameter = await hoverText(spaceUri, 11, 30);
    expect(parameter).toContain("(parameter) classes: int = 10");
  });

  it("goes to a definition in stdlib/ and in an imported file", async () => {
    const stdlib = await request<Location>("textDocument/definition", {
      textDocument: { uri: spaceUri },
      position: at(7, 4),
    });
    expect(stdlib.uri).toBe(fileUri(join(REPO_ROOT, "stdlib", "mobile.figs")));
    const mobile = readFileSync(join(REPO_ROOT, "stdlib", "mobile.figs"), "utf8").split("\n");
    expect(mobile[stdlib.range.start.line]).toMatch(/^op conv_bn_relu6\(/);
    expect(stdlib.range.start.character).toBe(3);

    const local = await request<Location>("textDocument/definition", {
      textDocument: { uri: spaceUri },
      position: at(9, 6),
    });
    expect(local).toEqual({ uri: blocksUri, range: { start: at(2, 6), end: at(2, 17) } });

    const imported = await request<Location>("textDocument/definition", {
      textDocument: { uri: spaceUri },
      position: at(0, 12),
    });
    expect(imported.uri).toBe(fileUri(join(REPO_ROOT, "stdlib", "mobile.figs")));
  });

  it("finds references across imports, with or without the declaration", async () => {
    const find = (includeDeclaration: boolean) =>
      request<Location[]>("textDocument/references", {
        textDocument: { uri: blocksUri },
        position: at(2, 8),
        context: { includeDeclaration },
      });
    const shown = (locations: Location[]) => locations.map((l) => `${l.uri}:${l.range.start.line}`).sort();
    expect(shown(await find(true))).toEqual([`${blocksUri}:2`, `${spaceUri}:9`].sort());
    expect(shown(await find(false))).toEqual([`${spaceUri}:9`]);

    const loop = await request<Location[]>("textDocument/references", {
      textDocument: { uri: spaceUri },
      position: at(8, 6),
      context: { includeDeclaration: true },
    });
    expect(loop.map((l) => l.range.start)).toEqual([at(8, 6), at(9, 16)]);
  });

  it("lists the definitions, constants and imports of a file", async () => {
    const symbols = await request<DocumentSymbol[]>("textDocument/documentSymbol", { textDocument: { uri: spaceUri } });
    expect(symbols.map((s) => s.name)).toEqual(["stdlib/mobile.figs", "blocks.figs", "WIDTHS", "small"]);
    const space = symbols[3]!;
    expect(space.detail).toBe("space(classes: int = 10)");
    expect(space.children?.map((c) => c.name)).toEqual(["classes"]);
  });

  it("folds bodies and runs of comments", async () => {
    const folds = await request<FoldingRange[]>("textDocument/foldingRange", { textDocument: { uri: blocksUri } });
    expect(folds).toEqual(
      expect.arrayContaining([
        { startLine: 2, endLine: 4 },
        { startLine: 0, endLine: 1, kind: "comment" },
      ]),
    );
  });

  it("completes named arguments with types and defaults, names in scope, definitions and primitives", async () => {
    const typing = SPACE.replace("double_conv(w, stride: 2)", "double_conv(w, ");
    await change(client, spaceUri, typing, ++version);
    const complete = (line: number, character: number) =>
      request<CompletionItem[]>("textDocument/completion", {
        textDocument: { uri: spaceUri },
        position: at(line, character),
      });
    const items = await complete(9, 19);
    const byLabel = new Map(items.map((item) => [item.label, item]));
    expect(byLabel.get("stride:")).toMatchObject({ detail: "stride: int = 1", insertText: "stride: " });
    expect(byLabel.get("width:")).toMatchObject({ detail: "width: int" });
    expect(byLabel.get("w")).toMatchObject({ detail: "(loop variable)" });
    expect(byLabel.get("classes")).toMatchObject({ detail: "(parameter) classes: int = 10" });
    expect(byLabel.get("double_conv")?.detail).toBe("block double_conv(width: int, stride: int = 1)");
    expect(byLabel.get("conv_bn_relu6")?.detail).toBe("op conv_bn_relu6(k: int, width: int, stride: int = 1)");
    expect(byLabel.get("WIDTHS")).toBeDefined();
    expect(byLabel.get("dwconv")?.detail).toMatch(/^dwconv\(k: int or \[h, w\]/);
    expect(byLabel.get("max")).toBeDefined();
    expect(byLabel.get("residual")).toBeDefined();

    const primitive = await complete(11, 0);
    expect(primitive.some((item) => item.label === "stride:")).toBe(false);

    // In text that parses, exactly the names visible at the cursor.
    await change(client, spaceUri, SPACE, ++version);
    const inLoop = (await complete(9, 4)).map((item) => item.label);
    const afterLoop = (await complete(11, 2)).map((item) => item.label);
    expect(inLoop).toEqual(expect.arrayContaining(["w", "classes"]));
    expect(afterLoop).toContain("classes");
    expect(afterLoop).not.toContain("w");
    expect((await complete(5, 24)).map((item) => item.label)).toEqual([
      "int",
      "float",
      "bool",
      "string",
      "agg",
      "tensor",
      "op",
      "list",
    ]);

    await change(client, spaceUri, SPACE.replace("dense(classes)", "dense(classes, "), ++version);
    const dense = new Map((await complete(11, 33)).map((item) => [item.label, item]));
    expect(dense.get("bias:")?.detail).toBe("bias: bool = true");
    const cleared = client.diagnostics(spaceUri, (d) => d.length === 0);
    await change(client, spaceUri, SPACE, ++version);
    await cleared;
  });

  it("formats a whole document and a range as figs fmt does", async () => {
    const messy = SPACE.replace("let WIDTHS = [16, 32]", "let   WIDTHS=[16,32]").replace(
      "  input(32, 32, 3)",
      "  input( 32,32,3 )",
    );
    await change(client, spaceUri, messy, ++version);
    const whole = await request<TextEdit[]>("textDocument/formatting", {
      textDocument: { uri: spaceUri },
      options: { tabSize: 2, insertSpaces: true },
    });
    const expected = await formatFigs(messy, "space.figs");
    expect(expected.ok).toBe(true);
    expect(whole).toHaveLength(1);
    expect(whole[0]!.newText).toBe(expected.ok ? expected.formatted : "");
    expect(whole[0]!.range.start).toEqual(at(0, 0));

    const range = await request<TextEdit[]>("textDocument/rangeFormatting", {
      textDocument: { uri: spaceUri },
      range: { start: at(3, 0), end: at(3, 5) },
      options: { tabSize: 2, insertSpaces: true },
    });
    expect(range).toEqual([{ range: { start: at(3, 0), end: at(3, 20) }, newText: "let WIDTHS = [16, 32]" }]);
    await change(client, spaceUri, SPACE, ++version);
  });

  it("shows each space's and each block's params and madds at full width as inlay hints", async () => {
    const hints = await request<InlayHint[]>("textDocument/inlayHint", {
      textDocument: { uri: spaceUri },
      range: { start: at(0, 0), end: at(14, 0) },
    });
    expect(hints).toEqual([
      expect.objectContaining({
        position: at(5, 31),
        label: expect.stringMatching(/^params [\d,]+ · madds [\d,]+ at full width$/),
      }),
    ]);
    const mobilenet = fileUri(join(REPO_ROOT, "spaces", "mobilenet_v2.figs"));
    await open(client, mobilenet, readFileSync(join(REPO_ROOT, "spaces", "mobilenet_v2.figs"), "utf8"));
    const published = await request<InlayHint[]>("textDocument/inlayHint", {
      textDocument: { uri: mobilenet },
      range: { start: at(0, 0), end: at(30, 0) },
    });
    expect(published.map((hint) => hint.label)).toEqual(["params 3,504,872 · madds 300,774,272 at full width"]);

    const blockHints = await request<InlayHint[]>("textDocument/inlayHint", {
      textDocument: { uri: blocksUri },
      range: { start: at(0, 0), end: at(6, 0) },
    });
    expect(blockHints).toEqual([]);
  });

  it("survives a malformed request, an unknown method and bytes that are not JSON", async () => {
    expect(await request("textDocument/hover", {})).toBeNull();
    expect(await request("textDocument/hover", { textDocument: { uri: 42 }, position: "here" })).toBeNull();
    await expect(request("figs/noSuchMethod", {})).rejects.toThrow();
    const garbage = "{ this is not json";
    client.child.stdin.write(`Content-Length: ${Buffer.byteLength(garbage)}\r\n\r\n${garbage}`);
    expect(await hoverText(spaceUri, 9, 6)).toContain("block double_conv");
    expect(client.child.exitCode).toBeNull();
    expect(client.logs.join("\n")).toMatch(/hover failed/);
  });

  it("keeps answering after a file that does not parse", async () => {
    const nonsense = fileUri(join(folder.dir, "nonsense.figs"));
    const published = client.diagnostics(nonsense, (d) => d.length > 0);
    await open(client, nonsense, "space ((( } { let = = 3 \u0000 ]]]\n");
    expect((await published).length).toBeGreaterThan(0);
    for (const method of ["textDocument/documentSymbol", "textDocument/foldingRange", "textDocument/inlayHint"])
      expect(
        await request(method, { textDocument: { uri: nonsense }, range: { start: at(0, 0), end: at(1, 0) } }),
      ).toEqual([]);
    expect(await hover(nonsense, 0, 2)).toBeNull();
    expect(
      await request("textDocument/formatting", {
        textDocument: { uri: nonsense },
        options: { tabSize: 2, insertSpaces: true },
      }),
    ).toBeNull();
    expect(await hoverText(spaceUri, 9, 6)).toContain("block double_conv");
  });

  it("clears a closed file's diagnostics, then shuts down and exits with 0", async () => {
    const nonsense = fileUri(join(folder.dir, "nonsense.figs"));
    const cleared = client.diagnostics(nonsense, (d) => d.length === 0);
    await client.connection.sendNotification("textDocument/didClose", { textDocument: { uri: nonsense } });
    await cleared;
    expect(await stop(client)).toBe(0);
  });
});
