/**
 * The benchmark's LSP client: `figs lsp --stdio` as a child process (the
 * sources through tsx, or an entry such as the bundle), spoken to with
 * vscode-languageserver-protocol, with a wait for the diagnostics of one
 * document version.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
} from "vscode-languageserver-protocol/node";
import type { PublishDiagnosticsParams } from "vscode-languageserver-protocol";

export interface BenchClient {
  readonly connection: ProtocolConnection;
  readonly child: ChildProcessWithoutNullStreams;
  /** Resolves when diagnostics for this version of the document are published. */
  published(uri: string, version: number): Promise<PublishDiagnosticsParams>;
}

/** `entry` undefined: the sources (cli/main.ts through tsx), run from `root`. */
export function startClient(root: string, entry?: string): BenchClient {
  const args = entry === undefined ? ["--import", "tsx", "cli/main.ts"] : [entry];
  const child = spawn(process.execPath, [...args, "lsp", "--stdio"], { cwd: root });
  child.stderr.on("data", (chunk: Buffer) => process.stderr.write(chunk));
  const connection = createProtocolConnection(
    new StreamMessageReader(child.stdout),
    new StreamMessageWriter(child.stdin),
  );
  const waiting = new Map<string, (params: PublishDiagnosticsParams) => void>();
  connection.onNotification("textDocument/publishDiagnostics", (params: PublishDiagnosticsParams) => {
    const key = `${params.uri}@${params.version}`;
    waiting.get(key)?.(params);
    waiting.delete(key);
  });
  connection.listen();
  return {
    connection,
    child,
    published: (uri, version) => new Promise((done) => waiting.set(`${uri}@${version}`, done)),
  };
}
