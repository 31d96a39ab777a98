/**
 * Offsets → positions for the AST builder, which asks for two positions per
 * node, mostly in increasing order: a line index with a hint at the last
 * line found answers most of them without a search. Gives exactly what
 * SourceFile.positionAt gives (lines end at '\n'; 1-based line and column).
 */
import type { Position, SourceRange } from "../diagnostics/source.js";

/** A power of two: the size of the direct-mapped cache of recent positions. */
const RECENT_POSITIONS = 256;

export class PositionIndex {
  private readonly lineStarts: number[] = [0];
  private readonly recent = new Array<Position | undefined>(RECENT_POSITIONS);
  private hint = 0;

  constructor(
    private readonly file: string,
    text: string,
  ) {
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) this.lineStarts.push(i + 1);
  }

  rangeAt(start: number, end: number): SourceRange {
    return { file: this.file, start: this.positionAt(start), end: this.positionAt(end) };
  }

  /** For offsets inside the text (the builder's are); SourceFile.positionAt also clamps. */
  positionAt(offset: number): Position {
    // Nested nodes start and end at the same offsets (a call, its first
    // argument's chain, step and value): recent positions are shared, which
    // saves a large share of the AST's objects. Positions are read-only data.
    const slot = offset & (RECENT_POSITIONS - 1);
    const recent = this.recent[slot];
    if (recent?.offset === offset) return recent;
    const line = this.lineOf(offset);
    const position = { offset, line: line + 1, column: offset - this.lineStarts[line]! + 1 };
    this.recent[slot] = position;
    return position;
  }

  private lineOf(offset: number): number {
    const starts = this.lineStarts;
    const hint = this.hint;
    if (starts[hint]! <= offset && (hint + 1 >= starts.length || offset < starts[hint + 1]!)) return hint;
    if (hint + 2 <= starts.length && starts[hint + 1]! <= offset && (hint + 2 === starts.length || offset < starts[hint + 2]!)) {
      this.hint = hint + 1;
      return hint + 1;
    }
    this.hint = this.search(offset);
    return this.hint;
  }

  private search(offset: number): number {
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}
