/**
 * Shrinks a failing text to a smaller one that still fails, so a fuzz
 * failure reads like a golden case rather than a mutated 60-line file.
 * Greedy deletion (the idea of delta debugging, without its bookkeeping):
 * drop runs of lines, then runs of characters, halving the run length down
 * to one, then squeeze whitespace; keep every edit after which `stillFails`.
 * Bounded by a time budget: a slow predicate must not hold up the report.
 */
export type StillFails = (text: string) => Promise<boolean>;

interface Budget {
  readonly deadline: number;
}

function timeLeft(budget: Budget): boolean {
  return Date.now() < budget.deadline;
}

/** Removes runs of `size` parts (lines or characters) wherever the text still fails without them. */
async function dropRuns(parts: string[], size: number, separator: string, stillFails: StillFails, budget: Budget) {
  let current = parts;
  for (let start = 0; start < current.length && timeLeft(budget);) {
    const candidate = [...current.slice(0, start), ...current.slice(start + size)];
    if (await stillFails(candidate.join(separator))) current = candidate;
    else start += size;
  }
  return current;
}

/** Halving run lengths over the text split into parts; repeated until a whole pass removes nothing. */
async function shrinkParts(text: string, separator: string, stillFails: StillFails, budget: Budget): Promise<string> {
  let parts = separator === "" ? [...text] : text.split(separator);
  for (let before = -1; before !== parts.length && timeLeft(budget);) {
    before = parts.length;
    for (let size = Math.max(1, parts.length >> 1); size >= 1 && timeLeft(budget); size >>= 1) {
      parts = await dropRuns(parts, size, separator, stillFails, budget);
    }
  }
  return parts.join(separator);
}

/** Runs of spaces become one space, and indentation goes, where the text still fails. */
async function squeezeWhitespace(text: string, stillFails: StillFails): Promise<string> {
  let current = text;
  for (const [pattern, replacement] of [
    [/[ \t]{2,}/g, " "],
    [/\n[ \t]+/g, "\n"],
    [/\n{2,}/g, "\n"],
  ] as const) {
    const candidate = current.replace(pattern, replacement);
    if (candidate !== current && (await stillFails(candidate))) current = candidate;
  }
  return current;
}

/** A smaller text that still fails (`text` itself when nothing smaller does, or when it does not fail). */
export async function minimize(text: string, stillFails: StillFails, budgetMs = 60_000): Promise<string> {
  if (!(await stillFails(text))) return text;
  const budget = { deadline: Date.now() + budgetMs };
  const byLines = await shrinkParts(text, "\n", stillFails, budget);
  const byCharacters = await shrinkParts(byLines, "", stillFails, budget);
  return squeezeWhitespace(byCharacters, stillFails);
}
