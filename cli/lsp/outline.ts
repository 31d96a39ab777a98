/**
 * Document symbols (imports, definitions with their parameters and `let`s,
 * constants) and folding ranges (bodies, multi-line parameter lists, calls
 * and lists, runs of comments and of imports).
 */
import { FoldingRangeKind, SymbolKind, type DocumentSymbol, type FoldingRange } from "vscode-languageserver";
import type * as A from "../../grammar/ast.js";
import { lspRange } from "./ranges.js";
import { definitionSignature, parameterInfo, parameterLine, type TextOf } from "./signatures.js";
import { eachNode } from "./walk.js";

const DEFINITION_KINDS: Record<A.DefinitionKind, SymbolKind> = {
  space: SymbolKind.Namespace,
  cell: SymbolKind.Module,
  block: SymbolKind.Class,
  op: SymbolKind.Function,
  fn: SymbolKind.Function,
};

export function documentSymbols(program: A.Program, textOf: TextOf): DocumentSymbol[] {
  return program.items.map((item) => {
    switch (item.kind) {
      case "Import":
        return symbol(item.path.value, SymbolKind.File, item, item.path.range);
      case "Let":
        return symbol(item.name.name, SymbolKind.Constant, item, item.name.range);
      case "Definition":
        return definitionSymbol(item, textOf);
    }
  });
}

function symbol(name: string, kind: SymbolKind, item: A.NodeBase, selection: A.NodeBase["range"]): DocumentSymbol {
  return { name, kind, range: lspRange(item.range), selectionRange: lspRange(selection) };
}

function definitionSymbol(definition: A.Definition, textOf: TextOf): DocumentSymbol {
  const parameters = definition.params.map((parameter) => ({
    ...symbol(parameter.name.name, SymbolKind.Variable, parameter, parameter.name.range),
    detail: parameterLine(parameterInfo(parameter, textOf)).slice(parameter.name.name.length + 2),
  }));
  const lets: DocumentSymbol[] = [];
  eachNode(definition.body, (node) => {
    if (node.kind === "Let") lets.push(symbol(node.name.name, SymbolKind.Variable, node, node.name.range));
  });
  return {
    ...symbol(definition.name.name, DEFINITION_KINDS[definition.definitionKind], definition, definition.name.range),
    detail: definitionSignature(definition, textOf).replace(` ${definition.name.name}(`, "("),
    children: [...parameters, ...lets],
  };
}

export function foldingRanges(program: A.Program): FoldingRange[] {
  const ranges: FoldingRange[] = [];
  const fold = (startLine: number, endLine: number, kind?: FoldingRangeKind) => {
    if (endLine > startLine) ranges.push({ startLine: startLine - 1, endLine: endLine - 1, ...(kind ? { kind } : {}) });
  };
  eachNode(program, (node) => {
    if (node.kind === "Body" || node.kind === "List" || node.kind === "Call")
      fold(node.range.start.line, node.range.end.line - 1);
    if (node.kind === "Definition" && node.params.length > 0)
      fold(node.range.start.line, node.params[node.params.length - 1]!.range.end.line);
  });
  runs(program.comments, (comment) => !comment.block, fold, FoldingRangeKind.Comment);
  for (const comment of program.comments)
    if (comment.block) fold(comment.range.start.line, comment.range.end.line, FoldingRangeKind.Comment);
  runs(program.items, (item) => item.kind === "Import", fold, FoldingRangeKind.Imports);
  return ranges;
}

/** Folds each run of consecutive-line nodes that pass the test. */
function runs<T extends A.NodeBase>(
  nodes: readonly T[],
  test: (node: T) => boolean,
  fold: (start: number, end: number, kind: FoldingRangeKind) => void,
  kind: FoldingRangeKind,
): void {
  let start: number | undefined;
  let end = 0;
  for (const node of nodes) {
    if (test(node) && start !== undefined && node.range.start.line === end + 1) {
      end = node.range.end.line;
      continue;
    }
    if (start !== undefined) fold(start, end, kind);
    start = test(node) ? node.range.start.line : undefined;
    end = node.range.end.line;
  }
  if (start !== undefined) fold(start, end, kind);
}
