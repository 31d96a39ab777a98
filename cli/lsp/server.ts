/**
 * The figs language server: one Workspace holds the documents and the models
 * built from them; the Checker publishes diagnostics as documents change;
 * Analyses compile each file's spaces to their costs for hovers and inlay
 * hints, right after the diagnostics went out; the requests are answered in
 * requests.ts. Every handler is guarded: whatever a request holds, the
 * server stays up.
 */
import {
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
  type ServerCapabilities,
} from "vscode-languageserver";
import type { Host } from "../../compiler/index.js";
import { loadFormatter, type FormatterLoader } from "../formatter.js";
import { figsVersion } from "../version.js";
import { Analyses } from "./analysis.js";
import { Checker } from "./checker.js";
import { describeFailure, type Log } from "./guard.js";
import { answerEditing, answerNavigation, answerOutline, type Services } from "./requests.js";
import { pathOf } from "./uri.js";
import { Workspace } from "./workspace.js";

export interface ServerOptions {
  /** Where files come from (tests); the disk and the package's stdlib by default. */
  readonly host?: Host;
  readonly formatter?: FormatterLoader;
}

export const CAPABILITIES: ServerCapabilities = {
  textDocumentSync: TextDocumentSyncKind.Incremental,
  hoverProvider: true,
  definitionProvider: true,
  referencesProvider: true,
  documentSymbolProvider: true,
  foldingRangeProvider: true,
  completionProvider: { triggerCharacters: ["(", ","] },
  documentFormattingProvider: true,
  documentRangeFormattingProvider: true,
  inlayHintProvider: true,
};

/** What the client may pass as `initializationOptions`. */
interface FigsInitializationOptions {
  readonly printWidth?: number;
}

interface Settings {
  printWidth?: number;
  /**
   * The client re-asks for inlay hints when told to: after each check, as an
   * edit to one file changes the costs of the files that import it.
   */
  refreshHints: boolean;
}

export function startServer(connection: Connection, options: ServerOptions = {}): void {
  const workspace = new Workspace(options.host);
  const analyses = new Analyses(workspace);
  const log: Log = (message) => connection.console.error(message);
  const settings: Settings = { refreshHints: false };
  connection.onInitialize((params) => initialize(params, workspace, settings));
  watchDocuments(connection, { workspace, analyses, log, settings });
  const services: Services = {
    workspace,
    analyses,
    log,
    formatter: options.formatter ?? loadFormatter,
    printWidth: () => settings.printWidth,
  };
  answerNavigation(connection, services);
  answerOutline(connection, services);
  answerEditing(connection, services);
  workspace.documents.listen(connection);
  connection.listen();
}

function initialize(params: InitializeParams, workspace: Workspace, settings: Settings): InitializeResult {
  workspace.folders = foldersOf(params);
  const initial = params.initializationOptions as FigsInitializationOptions | undefined;
  if (typeof initial?.printWidth === "number") settings.printWidth = initial.printWidth;
  settings.refreshHints = params.capabilities?.workspace?.inlayHint?.refreshSupport === true;
  return { capabilities: CAPABILITIES, serverInfo: { name: "figs", version: figsVersion() } };
}

function foldersOf(params: InitializeParams): string[] {
  const folders = params.workspaceFolders?.map((folder) => pathOf(folder.uri));
  if (folders && folders.length > 0) return folders;
  return params.rootUri ? [pathOf(params.rootUri)] : [];
}

interface Watch {
  readonly workspace: Workspace;
  readonly analyses: Analyses;
  readonly log: Log;
  readonly settings: Settings;
}

/** Opened, edited and closed documents and files changed on disk: models rebuilt, diagnostics published. */
function watchDocuments(connection: Connection, { workspace, analyses, log, settings }: Watch): void {
  const prepare = (path: string) =>
    setImmediate(() => {
      try {
        analyses.of(path);
        if (settings.refreshHints) void connection.languages.inlayHint.refresh().catch(() => undefined);
      } catch (cause) {
        log(`figs lsp: analysing ${path} failed: ${describeFailure(cause)}`);
      }
    });
  const checker = new Checker(workspace, {
    publish: (uri, diagnostics, version) => void connection.sendDiagnostics({ uri, diagnostics, version }),
    log,
    checked: prepare,
  });
  const safely = (what: string, work: () => void) => {
    try {
      work();
    } catch (cause) {
      log(`figs lsp: ${what} failed: ${describeFailure(cause)}`);
    }
  };
  workspace.documents.onDidChangeContent(({ document }) =>
    safely(`a change to ${document.uri}`, () => {
      workspace.changed();
      checker.changed(pathOf(document.uri));
    }),
  );
  workspace.documents.onDidClose(({ document }) =>
    safely(`closing ${document.uri}`, () => {
      workspace.changed();
      checker.closed(pathOf(document.uri), document.uri);
    }),
  );
  connection.onDidChangeWatchedFiles(() => {
    workspace.changed();
    for (const path of workspace.openPaths()) checker.changed(path);
  });
}
