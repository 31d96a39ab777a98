/**
 * Which space parameters an op's arguments were written with, read off the
 * op's source text (the IR keeps each node's range, not its expressions):
 * `input(size, size, channels)` → h: size, w: size, c: channels. Lets a
 * preflight message say `--set size=28` instead of "edit the file". Without
 * the text it falls back to parameters whose value and name fit.
 */
import type { IrNode } from "../../compiler/index.js";

/** How one argument of the call was written. */
export interface ArgumentSource {
  /** The expression as written, e.g. `size` or `size * 2`. */
  readonly text: string;
  /** Space parameters the expression names. */
  readonly parameters: readonly string[];
  /** True when the expression is exactly one space parameter, so `--set NAME=value` sets it. */
  readonly bare: boolean;
}

export type ReadSource = (path: string) => string | undefined;

/** The argument expressions of the call at the start of `text`, split at top-level commas; undefined if unbalanced. */
export function callArguments(text: string): string[] | undefined {
  const open = text.indexOf("(");
  if (open < 0) return undefined;
  const args: string[] = [];
  let depth = 0;
  let start = open + 1;
  for (let i = open + 1; i < text.length; i++) {
    const ch = text[i];
    if (ch === "(" || ch === "[") depth++;
    else if ((ch === ")" || ch === "]") && depth > 0) depth--;
    else if (ch === ")") {
      if (text.slice(start, i).trim() !== "") args.push(text.slice(start, i).trim());
      return args;
    } else if (ch === "," && depth === 0) {
      args.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  return undefined;
}

/**
 * For each of `names` (the op's parameters in order, e.g. h, w, c), how its
 * argument was written at `node`'s range; undefined when the text is not
 * available or not a call of that shape.
 */
export function argumentSources(
  node: IrNode,
  names: readonly string[],
  parameters: Readonly<Record<string, unknown>>,
  readSource: ReadSource | undefined,
): Map<string, ArgumentSource> | undefined {
  const text = readSource?.(node.range.file);
  if (text === undefined) return undefined;
  const args = callArguments(text.slice(node.range.start.offset, node.range.end.offset));
  if (args === undefined) return undefined;
  const found = new Map<string, ArgumentSource>();
  args.forEach((arg, position) => {
    const named = /^([A-Za-z_]\w*)\s*:(?!:)\s*([\s\S]*)$/.exec(arg);
    const name = named ? named[1] : names[position];
    const expression = (named ? named[2] : arg)?.trim() ?? "";
    if (name === undefined || !names.includes(name)) return;
    const used = [...new Set(expression.match(/[A-Za-z_]\w*/g) ?? [])].filter((word) =>
      Object.hasOwn(parameters, word),
    );
    found.set(name, { text: expression, parameters: used, bare: used.length === 1 && used[0] === expression });
  });
  return found;
}

/**
 * Without the source: the space parameters whose value is `value` and whose
 * name looks like what the argument means (`size`, `resolution`, `channels`,
 * `classes`…). Value and name must both fit, so a channel width of 28 is not
 * taken for an image size.
 */
export function guessParameter(
  parameters: Readonly<Record<string, unknown>>,
  value: number,
  namePattern: RegExp,
): ArgumentSource | undefined {
  const name = Object.keys(parameters).find((key) => parameters[key] === value && namePattern.test(key));
  return name === undefined ? undefined : { text: name, parameters: [name], bare: true };
}

export const NAME_PATTERNS = {
  h: /size|resolution|height|^h$|^res/i,
  w: /size|resolution|width|^w$|^res/i,
  c: /chan|^c$|^in_?c/i,
  classes: /class|label|^n?_?out/i,
} as const;
