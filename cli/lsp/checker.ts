/**
 * Diagnostics as the user types: a change to a document checks it — as
 * `figs check` does: parse, elaborate every space, place masks — and every
 * open document that imports it, debounced (debounce.ts), with the editors'
 * unsaved texts. Each check publishes the complete list for its document.
 */
import type { Diagnostic as LspDiagnostic } from "vscode-languageserver";
import { compileEachSpace } from "../../compiler/index.js";
import { Debouncer, type Timers } from "./debounce.js";
import { lspDiagnostics } from "./diagnostics.js";
import { describeFailure } from "./guard.js";
import { importPlaces } from "./import-places.js";
import type { Workspace } from "./workspace.js";

/** Changes within this many milliseconds of the previous one wait for the typing to pause. */
export const CHECK_DELAY_MS = 150;

export interface CheckerEvents {
  publish(uri: string, diagnostics: LspDiagnostic[], version?: number): void;
  log(message: string): void;
  /** After a document's diagnostics went out: the moment to prepare what hovers and hints need. */
  checked(path: string): void;
}

export class Checker {
  /** The files each checked document loaded (itself and its imports). */
  private readonly loads = new Map<string, Set<string>>();
  private readonly debouncer: Debouncer;

  constructor(
    private readonly workspace: Workspace,
    private readonly events: CheckerEvents,
    timers?: Timers,
  ) {
    this.debouncer = new Debouncer(CHECK_DELAY_MS, (path) => this.check(path), timers);
  }

  /** A document was opened or edited: check it and the open documents that import it. */
  changed(path: string): void {
    this.debouncer.call(path);
    for (const importer of this.importersOf(path)) this.debouncer.call(importer);
  }

  /** A document was closed: it is no longer checked and its diagnostics are cleared. */
  closed(path: string, uri: string): void {
    this.debouncer.cancel(path);
    this.loads.delete(path);
    this.events.publish(uri, []);
    for (const importer of this.importersOf(path)) this.debouncer.call(importer);
  }

  importersOf(path: string): string[] {
    return this.workspace.openPaths().filter((open) => open !== path && this.loads.get(open)?.has(path));
  }

  check(path: string): void {
    const document = this.workspace.openDocument(path);
    if (!document) return;
    try {
      const model = this.workspace.model(path);
      if (!model) return;
      const { host, cache } = this.workspace;
      const result = compileEachSpace({ path }, { host, cache });
      const loaded = new Set(result.sources.keys());
      this.loads.set(path, model.program ? loaded : new Set([...loaded, ...(this.loads.get(path) ?? [])]));
      const places = importPlaces(path, model.program, model.loaded.modules, host.stdlibDir);
      this.events.publish(document.uri, lspDiagnostics(result.diagnostics, path, places), document.version);
      this.events.checked(path);
    } catch (cause) {
      this.events.log(`figs lsp: checking ${path} failed: ${describeFailure(cause)}`);
    }
  }
}
