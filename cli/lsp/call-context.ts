/**
 * Where the cursor is, read from the text alone (it rarely parses mid-edit):
 * in a comment or a string, at an argument of a call (which callee, which
 * named arguments it has already), or in a definition's parameter list, and
 * which definition encloses it.
 */

export interface CursorContext {
  /** In a comment or a string: nothing to complete. */
  readonly inert: boolean;
  /** The callee of the innermost unclosed `(` before the cursor, when the cursor starts an argument. */
  readonly callee?: string;
  /** Named arguments already written in that call. */
  readonly namedBefore: readonly string[];
  /** The cursor is where a parameter's type goes (`width: |` in a definition's header). */
  readonly inTypePosition: boolean;
  /** The definition whose header is the last one before the cursor. */
  readonly enclosing?: string;
}

const IDENTIFIER_END = /[A-Za-z_][A-Za-z0-9_]*$/;

export function cursorContext(text: string, offset: number): CursorContext {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf("\n") + 1;
  const enclosing = lastHeader(before);
  const base = { namedBefore: [], inTypePosition: false, ...(enclosing ? { enclosing } : {}) };
  if (inCommentOrString(before.slice(lineStart))) return { ...base, inert: true };
  const prefixStart = offset - (IDENTIFIER_END.exec(before)?.[0].length ?? 0);
  const open = unclosedParen(text, prefixStart);
  if (open === undefined) return { ...base, inert: false };
  const callee = IDENTIFIER_END.exec(text.slice(0, open).trimEnd())?.[0];
  const inside = text.slice(open + 1, prefixStart);
  const header =
    callee !== undefined && /(^|\s)(op|block|cell|space)\s+$/.test(text.slice(0, open).slice(0, -callee.length));
  const argumentStart = /(^|,)\s*$/.test(inside);
  return {
    ...base,
    inert: false,
    ...(callee && argumentStart && !header ? { callee } : {}),
    namedBefore: [...inside.matchAll(/(?:^|,)\s*([A-Za-z_][A-Za-z0-9_]*)\s*:/g)].map((match) => match[1]!),
    inTypePosition: header && /:\s*$/.test(inside.split(",").pop() ?? ""),
  };
}

/** `#` outside a string, or an odd number of quotes, before the cursor on its line. */
function inCommentOrString(line: string): boolean {
  let inString = false;
  for (let index = 0; index < line.length; index++) {
    const char = line[index];
    if (char === "\\" && inString) index++;
    else if (char === '"') inString = !inString;
    else if (char === "#" && !inString) return true;
  }
  return inString;
}

/** The offset of the innermost `(` not closed before `end`, unless an unclosed `[`, a `{` or a `}` comes first. */
function unclosedParen(text: string, end: number): number | undefined {
  let depth = 0;
  for (let index = end - 1; index >= 0; index--) {
    const char = text[index];
    if (char === ")" || char === "]") depth++;
    else if (char === "[" || char === "(") {
      if (depth === 0) return char === "(" ? index : undefined;
      depth--;
    } else if (char === "{" || char === "}") return undefined;
  }
  return undefined;
}

function lastHeader(before: string): string | undefined {
  let found: string | undefined;
  for (const match of before.matchAll(/(?:^|\n)\s*(?:op|block|cell|space)\s+([A-Za-z_][A-Za-z0-9_]*)/g))
    found = match[1];
  return found;
}
