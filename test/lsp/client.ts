/**
 * A real LSP client for the tests: it starts `figs lsp --stdio` as a child
 * process (the sources, through tsx, as test/cli does) and talks to it with
 * vscode-languageserver-protocol over the child's stdin and stdout.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
} from "vscode-languageserver-protocol/node";
import type { Diagnostic, PublishDiagnosticsParams } from "vscode-languageserver-protocol";

export const REPO_ROOT = resolve(import.meta.dirname, "../..");

export interface LspClient {
  readonly connection: ProtocolConnection;
  readonly child: ChildProcessWithoutNullStreams;
  /** What the server logged (window/logMessage) and wrote to stderr. */
  readonly logs: string[];
  /** Resolves with the next diagnostics published for the URI that pass the test. */
  diagnostics(uri: string, test?: (diagnostics: Diagnostic[]) => boolean): Promise<Diagnostic[]>;
  /** Resolves with the exit code once the process has ended. */
  readonly exited: Promise<number | null>;
}

export function fileUri(path: string): string {
  return pathToFileURL(path).href;
}

/**
 * The sources through tsx, or `entry` (a bundle's figs.js); run from the
 * repository root (where `--import tsx` resolves): the workspace folder is
 * `initialize`'s.
 */
export function startServer(entry?: string): LspClient {
  const figs = entry === undefined ? ["--import", "tsx", "cli/main.ts"] : [entry];
  const child = spawn(process.execPath, [...figs, "lsp", "--stdio"], { cwd: REPO_ROOT });
  const logs: string[] = [];
  child.stderr.on("data", (chunk: Buffer) => logs.push(chunk.toString("utf8")));
  const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
  const connection = createProtocolConnection(
    new StreamMessageReader(child.stdout),
    new StreamMessageWriter(child.stdin),
  );
  const waiting: { uri: string; test: (d: Diagnostic[]) => boolean; done: (d: Diagnostic[]) => void }[] = [];
  const latest = new Map<string, Diagnostic[]>();
  connection.onNotification("textDocument/publishDiagnostics", (params: PublishDiagnosticsParams) => {
    latest.set(params.uri, params.diagnostics);
    for (const waiter of [...waiting]) {
      if (waiter.uri !== params.uri || !waiter.test(params.diagnostics)) continue;
      waiting.splice(waiting.indexOf(waiter), 1);
      waiter.done(params.diagnostics);
    }
  });
  connection.onNotification("window/logMessage", (params: { message: string }) => void logs.push(params.message));
  connection.listen();
  return {
    connection,
    child,
    logs,
    exited,
    diagnostics: (uri, test = () => true) =>
      new Promise((done) => {
        waiting.push({ uri, test, done });
      }),
  };
}

/** initialize + initialized, with the folder as the workspace. */
export async function initialize(client: LspClient, folder = REPO_ROOT): Promise<unknown> {
  const ended = client.exited.then((code) => {
    throw new Error(`figs lsp exited with ${code} before answering initialize: ${client.logs.join("")}`);
  });
  const answer = client.connection.sendRequest("initialize", {
    processId: process.pid,
    rootUri: fileUri(folder),
    workspaceFolders: [{ uri: fileUri(folder), name: "figs" }],
    capabilities: {},
  });
  const result = await Promise.race([answer, ended]);
  await client.connection.sendNotification("initialized", {});
  return result;
}

export async function open(client: LspClient, uri: string, text: string, version = 1): Promise<void> {
  await client.connection.sendNotification("textDocument/didOpen", {
    textDocument: { uri, languageId: "figs", version, text },
  });
}

/** Replaces the whole text (a full-document change). */
export async function change(client: LspClient, uri: string, text: string, version: number): Promise<void> {
  await client.connection.sendNotification("textDocument/didChange", {
    textDocument: { uri, version },
    contentChanges: [{ text }],
  });
}

/** shutdown + exit; resolves with the process's exit code. */
export async function stop(client: LspClient): Promise<number | null> {
  await client.connection.sendRequest("shutdown");
  await client.connection.sendNotification("exit");
  return client.exited;
}
