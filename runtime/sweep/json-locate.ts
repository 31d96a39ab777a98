/**
 * Where a JSON pointer's value is in the text it was parsed from, so a schema
 * problem of an experiment file is reported at its line and column. The text
 * has already parsed as JSON; this scanner only records the range of every
 * value by its pointer.
 */

export interface TextRange {
  readonly start: number;
  readonly end: number;
}

/** The range of every value of `text` (valid JSON), by JSON pointer ("" is the document). */
export function valueRanges(text: string): ReadonlyMap<string, TextRange> {
  const ranges = new Map<string, TextRange>();
  let at = 0;
  const skipSpace = (): void => {
    while (at < text.length && " \t\r\n".includes(text[at]!)) at++;
  };
  const scanString = (): string => {
    const start = at;
    at++;
    while (at < text.length && text[at] !== '"') at += text[at] === "\\" ? 2 : 1;
    at++;
    return JSON.parse(text.slice(start, at)) as string;
  };
  const scanValue = (pointer: string): void => {
    skipSpace();
    const start = at;
    const first = text[at];
    if (first === "{") scanMembers(pointer, "}", () => scanKey());
    else if (first === "[") {
      let index = 0;
      scanMembers(pointer, "]", () => String(index++));
    } else if (first === '"') scanString();
    else while (at < text.length && !",]} \t\r\n".includes(text[at]!)) at++;
    ranges.set(pointer, { start, end: at });
  };
  const scanKey = (): string => {
    skipSpace();
    const key = scanString();
    skipSpace();
    at++; // the ':'
    return key;
  };
  const scanMembers = (pointer: string, close: string, nextName: () => string): void => {
    at++;
    skipSpace();
    if (text[at] === close) {
      at++;
      return;
    }
    for (;;) {
      scanValue(`${pointer}/${escapePointer(nextName())}`);
      skipSpace();
      const separator = text[at++];
      if (separator !== ",") return;
    }
  };
  scanValue("");
  return ranges;
}

/** The value at `pointer`, or the nearest enclosing one that exists (a missing property: its object). */
export function locatePointer(text: string, pointer: string): TextRange {
  const ranges = valueRanges(text);
  let current = pointer;
  for (;;) {
    const range = ranges.get(current);
    if (range !== undefined || current === "") return range ?? { start: 0, end: 0 };
    current = current.slice(0, current.lastIndexOf("/"));
  }
}

function escapePointer(name: string): string {
  return name.replace(/~/g, "~0").replace(/\//g, "~1");
}
