/**
 * Helpers for the grammar's golden tests: list fixture folders, read their
 * input as bytes (so BOMs and bad encodings go through `decodeSource` as in
 * the CLI), and serialise ASTs and diagnostics in a readable, stable form.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { parse, type ParseResult } from "../../grammar/parse.js";
import { decodeSource } from "../../grammar/read-source.js";
import { renderDiagnostics } from "../../diagnostics/render.js";
import type { SourceRange } from "../../diagnostics/source.js";
import { sortDiagnostics } from "../../diagnostics/diagnostic.js";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const FIXTURES = path.join(REPO_ROOT, "test/fixtures");

/** The case folders under test/fixtures/<group>, sorted, each with an input.figs. */
export function fixtureCases(group: string): string[] {
  const root = path.join(FIXTURES, group);
  return readdirSync(root)
    .filter((name) => statSync(path.join(root, name)).isDirectory())
    .sort();
}

/** Parses test/fixtures/<group>/<name>/input.figs under a repo-relative path, decoding bytes like the CLI. */
export function parseFixture(group: string, name: string): ParseResult {
  const relative = `test/fixtures/${group}/${name}/input.figs`;
  const decoded = decodeSource(readFileSync(path.join(REPO_ROOT, relative)), relative);
  const result = parse(decoded.text, relative);
  if (decoded.diagnostics.length === 0) return result;
  return { ...result, diagnostics: sortDiagnostics([...decoded.diagnostics, ...result.diagnostics]) };
}

function compactRange(range: SourceRange): string {
  return `${range.start.line}:${range.start.column}-${range.end.line}:${range.end.column}`;
}

function isRange(value: unknown): value is SourceRange {
  return typeof value === "object" && value !== null && "start" in value && "end" in value && "file" in value;
}

/** JSON with every range shown as "line:col-line:col" and fields in the order the AST builder wrote them. */
export function astJson(ast: unknown): string {
  return `${JSON.stringify(ast, (_key, value: unknown) => (isRange(value) ? compactRange(value) : value), 2)}\n`;
}

/** The diagnostics as the CLI would print them. */
export function renderedDiagnostics(result: ParseResult): string {
  const sourceOf = (file: string) => (file === result.source.path ? result.source : undefined);
  return `${renderDiagnostics(result.diagnostics, sourceOf)}\n`;
}
