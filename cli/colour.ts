/**
 * Colour for rendered diagnostics on a terminal: the severity word of each
 * heading line and the `^~~~` markers; the text itself is unchanged.
 */
const ansi = {
  red: "\u001b[31m",
  yellow: "\u001b[33m",
  cyan: "\u001b[36m",
  bold: "\u001b[1m",
  reset: "\u001b[0m",
} as const;
const severityColour: Record<string, string> = { error: ansi.red, warning: ansi.yellow, note: ansi.cyan };

/** A source line of an excerpt (` 12 | text`) or its marker line: never a heading, whatever it says. */
const EXCERPT_LINE = /^ +\d* \|/;

/**
 * A heading: `file:line:col: `, `file: ` or `figs search: ` before the severity
 * (the location is up to the first `: ` that the severity follows), or the
 * two-space indent of a note without a location.
 */
const HEADING = /^(?<location>.*?: | {2})(?<severity>error|warning|note)\b/;

export function colourise(rendered: string): string {
  return rendered.split("\n").map(colouriseLine).join("\n");
}

function colouriseLine(line: string): string {
  if (EXCERPT_LINE.test(line)) {
    return /^\s+\|\s*\^~*$/.test(line) ? line.replace(/\^~*/, (marker) => `${ansi.red}${marker}${ansi.reset}`) : line;
  }
  const heading = HEADING.exec(line);
  const location = heading?.groups?.["location"];
  const severity = heading?.groups?.["severity"];
  if (heading && location !== undefined && severity !== undefined) {
    const rest = line.slice(heading[0].length);
    return `${ansi.bold}${location}${severityColour[severity] ?? ""}${severity}${ansi.reset}${rest}`;
  }
  return line;
}
