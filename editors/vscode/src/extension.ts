/**
 * The VS Code extension's entry: a language client for .figs files that
 * starts `figs lsp --stdio` (server-command.ts says which command) and
 * restarts it when its settings change. Bundled with esbuild into
 * out/extension.js by scripts/build-vsix.ts.
 */
import { commands, window, workspace, type ExtensionContext } from "vscode";
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from "vscode-languageclient/node";
import { serverCommand } from "./server-command.js";

let client: LanguageClient | undefined;

function serverOptions(): ServerOptions {
  const settings = workspace.getConfiguration("figs");
  const { command, args } = serverCommand(settings.get<string>("path"));
  const folder = workspace.workspaceFolders?.[0]?.uri.fsPath;
  const options = { ...(folder ? { cwd: folder } : {}), shell: process.platform === "win32" };
  return { command, args: [...args], transport: TransportKind.stdio, options };
}

function clientOptions(): LanguageClientOptions {
  const printWidth = workspace.getConfiguration("figs").get<number>("printWidth");
  return {
    documentSelector: [
      { scheme: "file", language: "figs" },
      { scheme: "untitled", language: "figs" },
    ],
    synchronize: { fileEvents: workspace.createFileSystemWatcher("**/*.figs") },
    initializationOptions: printWidth === undefined ? {} : { printWidth },
  };
}

async function start(): Promise<void> {
  client = new LanguageClient("figs", "figs language server", serverOptions(), clientOptions());
  try {
    await client.start();
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    void window.showErrorMessage(
      `figs: the language server did not start (${reason}). Put figs on your PATH (npm i -g figs, ` +
        "or npm link in a checkout) or set figs.path.",
    );
  }
}

async function restart(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) await running.stop().catch(() => undefined);
  await start();
}

export async function activate(context: ExtensionContext): Promise<void> {
  context.subscriptions.push(
    commands.registerCommand("figs.restartServer", restart),
    workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration("figs.path") || event.affectsConfiguration("figs.printWidth")) void restart();
    }),
  );
  await start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
