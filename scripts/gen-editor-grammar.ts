/**
 * Writes the editors' TextMate grammar of .figs from scripts/editor-grammar.ts.
 * Run after adding a keyword, primitive, built-in or type:
 * `npm run gen:editor-grammar` (test/editors/grammar.test.ts fails until then).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { EDITOR_GRAMMAR_FILE, editorGrammarText } from "./editor-grammar.js";

const text = editorGrammarText();
let current: string | undefined;
try {
  current = readFileSync(EDITOR_GRAMMAR_FILE, "utf8");
} catch {
  current = undefined;
}
if (current === text) {
  console.log(`${EDITOR_GRAMMAR_FILE} is up to date`);
} else {
  writeFileSync(EDITOR_GRAMMAR_FILE, text);
  console.log(`wrote ${EDITOR_GRAMMAR_FILE}`);
}
