/**
 * What the server knows of the files: the open documents (their unsaved
 * text), one parse cache for every file it reads, and per file a model —
 * its parse, its load (the file and its imports) and its names — rebuilt
 * when any document changes (`generation`). The last model of a file that
 * parsed is kept, so completion still knows the names while the text is
 * broken mid-edit.
 */
import { isAbsolute, relative } from "node:path";
import { TextDocuments } from "vscode-languageserver";
import { TextDocument } from "vscode-languageserver-textdocument";
import { load, type Host, type LoadResult, type ParseCache } from "../../compiler/index.js";
import { parse, type ParseResult, type Program } from "../../grammar/index.js";
import { editorHost } from "./host.js";
import { indexNames, type NameIndex } from "./resolve.js";
import { pathOf, uriOf } from "./uri.js";

export interface FileModel {
  readonly path: string;
  readonly text: string;
  readonly parsed: ParseResult;
  readonly loaded: LoadResult;
  /** Present when the file parsed. */
  readonly program?: Program;
  readonly names?: NameIndex;
}

export class Workspace {
  readonly documents = new TextDocuments(TextDocument);
  readonly cache: ParseCache = new Map();
  readonly host: Host;
  /** Folders of the editor's workspace, searched for references. */
  folders: readonly string[] = [];
  private generation = 0;
  private readonly models = new Map<string, { generation: number; model: FileModel }>();
  private readonly lastParsed = new Map<string, FileModel>();

  constructor(host?: Host) {
    this.host = editorHost((path) => this.openDocument(path)?.getText(), host);
  }

  /** Something changed (a document, a file on disk): every model is rebuilt when next asked for. */
  changed(): void {
    this.generation++;
  }

  openDocument(path: string): TextDocument | undefined {
    return this.documents.get(uriOf(path)) ?? this.documents.all().find((doc) => pathOf(doc.uri) === path);
  }

  /** The URI to publish for a file: the editor's own when it is open. */
  uriFor(path: string): string {
    return this.openDocument(path)?.uri ?? uriOf(path);
  }

  openPaths(): string[] {
    return this.documents.all().map((doc) => pathOf(doc.uri));
  }

  /** A file as the user knows it: `stdlib/…`, relative to a workspace folder, or its absolute path. */
  displayPath(path: string): string {
    const stdlib = relative(this.host.stdlibDir, path);
    if (!stdlib.startsWith("..") && !isAbsolute(stdlib)) return `stdlib/${stdlib}`;
    for (const folder of this.folders) {
      const inside = relative(folder, path);
      if (!inside.startsWith("..") && !isAbsolute(inside)) return inside;
    }
    return path;
  }

  textOf(path: string): string | undefined {
    const read = this.host.readFile(path);
    return read.ok ? read.text : undefined;
  }

  /** The model of a file as it is now; undefined when it cannot be read. */
  model(path: string): FileModel | undefined {
    const known = this.models.get(path);
    if (known?.generation === this.generation) return known.model;
    const text = this.textOf(path);
    if (text === undefined) return undefined;
    const model = this.build(path, text);
    this.models.set(path, { generation: this.generation, model });
    if (model.names) this.lastParsed.set(path, model);
    return model;
  }

  /** The file's latest model that parsed (perhaps of an older text). */
  lastParsedModel(path: string): FileModel | undefined {
    const current = this.model(path);
    return current?.names ? current : this.lastParsed.get(path);
  }

  /** Parses through the cache, so the compile that follows does not parse the same text again. */
  parse(path: string, text: string): ParseResult {
    const cached = this.cache.get(path);
    if (cached?.source.text === text) return cached;
    const parsed = parse(text, path);
    this.cache.set(path, parsed);
    return parsed;
  }

  forget(path: string): void {
    this.models.delete(path);
  }

  private build(path: string, text: string): FileModel {
    const parsed = this.parse(path, text);
    const loaded = load({ path }, this.host, this.cache);
    if (!parsed.ast) return { path, text, parsed, loaded };
    const modules = loaded.modules.some((m) => m.path === path)
      ? loaded.modules
      : [...loaded.modules, { path, program: parsed.ast }];
    return { path, text, parsed, loaded, program: parsed.ast, names: indexNames(path, parsed.ast, modules) };
  }
}
