/**
 * The LSP requests the server answers, each guarded (guard.ts) and each a
 * few lines handing the document's model to the module that answers it.
 */
import type { Connection } from "vscode-languageserver";
import type { FormatterLoader } from "../formatter.js";
import type { Analyses } from "./analysis.js";
import { completionsAt } from "./completion.js";
import { formatDocument, formatRange } from "./formatting.js";
import { guarded, type Log } from "./guard.js";
import { hoverAt, type HoverContext } from "./hover.js";
import { inlayHints } from "./inlay-hints.js";
import { definitionAt, referencesAt } from "./navigation.js";
import { documentSymbols, foldingRanges } from "./outline.js";
import { offsetAt } from "./ranges.js";
import { pathOf } from "./uri.js";
import type { FileModel, Workspace } from "./workspace.js";

export interface Services {
  readonly workspace: Workspace;
  readonly analyses: Analyses;
  readonly log: Log;
  readonly formatter: FormatterLoader;
  /** The formatter's line width, from the client's initialization options. */
  printWidth(): number | undefined;
}

export function answerNavigation(connection: Connection, services: Services): void {
  const { workspace, analyses, log } = services;
  const modelOf = (uri: string): FileModel | undefined => workspace.model(pathOf(uri));
  const hoverContext = (model: FileModel): HoverContext => ({
    model,
    analysis: () => analyses.of(model.path),
    textOf: (file) => workspace.textOf(file),
    programOf: (file) => workspace.model(file)?.program,
    displayPath: (file) => workspace.displayPath(file),
  });
  connection.onHover(
    guarded("hover", log, null, ({ textDocument, position }) => {
      const model = modelOf(textDocument.uri);
      return model ? hoverAt(hoverContext(model), offsetAt(model.text, position)) : null;
    }),
  );
  connection.onDefinition(
    guarded("definition", log, null, ({ textDocument, position }) => {
      const model = modelOf(textDocument.uri);
      return model ? definitionAt(workspace, model, offsetAt(model.text, position)) : null;
    }),
  );
  connection.onReferences(
    guarded("references", log, [], ({ textDocument, position, context }) => {
      const model = modelOf(textDocument.uri);
      if (!model) return [];
      return referencesAt(workspace, model, offsetAt(model.text, position), context?.includeDeclaration ?? true);
    }),
  );
}

export function answerOutline(connection: Connection, services: Services): void {
  const { workspace, analyses, log } = services;
  connection.onDocumentSymbol(
    guarded("documentSymbol", log, [], ({ textDocument }) => {
      const model = workspace.lastParsedModel(pathOf(textDocument.uri));
      return model?.program ? documentSymbols(model.program, (file) => workspace.textOf(file)) : [];
    }),
  );
  connection.onFoldingRanges(
    guarded("foldingRange", log, [], ({ textDocument }) => {
      const program = workspace.model(pathOf(textDocument.uri))?.program;
      return program ? foldingRanges(program) : [];
    }),
  );
  connection.languages.inlayHint.on(
    guarded("inlayHint", log, [], ({ textDocument, range }) => {
      const model = workspace.model(pathOf(textDocument.uri));
      return model?.program ? inlayHints(model.program, analyses.of(model.path), range) : [];
    }),
  );
}

export function answerEditing(connection: Connection, services: Services): void {
  const { workspace, log, formatter } = services;
  connection.onCompletion(
    guarded("completion", log, [], ({ textDocument, position }) => {
      const path = pathOf(textDocument.uri);
      const text = workspace.textOf(path);
      if (text === undefined) return [];
      const model = workspace.lastParsedModel(path);
      return completionsAt({
        text,
        offset: offsetAt(text, position),
        ...(model ? { model } : {}),
        textOf: (file) => workspace.textOf(file),
        programOf: (file) => workspace.model(file)?.program,
      });
    }),
  );
  const request = async (uri: string) => {
    const model = workspace.model(pathOf(uri));
    if (!model) return undefined;
    return { format: await formatter(), text: model.text, path: model.path, printWidth: services.printWidth() };
  };
  connection.onDocumentFormatting(
    guarded("formatting", log, null, async ({ textDocument }) => {
      const format = await request(textDocument.uri);
      return format ? formatDocument(format) : null;
    }),
  );
  connection.onDocumentRangeFormatting(
    guarded("rangeFormatting", log, null, async ({ textDocument, range }) => {
      const format = await request(textDocument.uri);
      return format ? formatRange(format, range) : null;
    }),
  );
}
