/**
 * Offsets → positions and ranges for the AST builder, which asks for two
 * positions per node, mostly in increasing order: a line index with a hint
 * at the last line found answers most of them without a search. Gives
 * exactly what SourceFile.positionAt gives (lines end at '\n'; 1-based line
 * and column). Positions and ranges are shared between nodes: they are
 * read-only data.
 */
import type { Position, SourceRange } from "../diagnostics/source.js";

/** Powers of two: the sizes of the direct-mapped caches of recent positions and ranges. */
const RECENT_POSITIONS = 256;
const RECENT_RANGES = 256;

export class PositionIndex {
  private readonly lineStarts: number[] = [0];
  private readonly recent = new Array<Position | undefined>(RECENT_POSITIONS);
  private readonly recentRanges = new Array<SourceRange | undefined>(RECENT_RANGES);
  private hint = 0;

  constructor(
    private readonly file: string,
    text: string,
  ) {
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) this.lineStarts.push(i + 1);
  }

  /**
   * Nested nodes often span exactly the same text (an argument, its chain,
   * the chain's one step and that step's value): they share one range
   * object, found in a direct-mapped cache of recent ranges. Every object
   * the AST keeps costs the garbage collector, and this removes about two
   * in five ranges.
   */
  rangeAt(start: number, end: number): SourceRange {
    const slot = (start * 31 + end) & (RECENT_RANGES - 1);
    const recent = this.recentRanges[slot];
    if (recent !== undefined && recent.start.offset === start && recent.end.offset === end) return recent;
    const range = { file: this.file, start: this.positionAt(start), end: this.positionAt(end) };
    this.recentRanges[slot] = range;
    return range;
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
    if (
      hint + 2 <= starts.length &&
      starts[hint + 1]! <= offset &&
      (hint + 2 === starts.length || offset < starts[hint + 2]!)
    ) {
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
