/** A position in a source text: 1-based line and column, 0-based UTF-16 offset. */
export interface Position {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

/** A half-open range [start, end) in one source file. */
export interface SourceRange {
  readonly file: string;
  readonly start: Position;
  readonly end: Position;
}

/** A source text with a line index, for turning offsets into positions. */
export class SourceFile {
  private readonly lineStarts: number[];

  constructor(
    readonly path: string,
    readonly text: string,
  ) {
    this.lineStarts = computeLineStarts(text);
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const lineIndex = this.lineIndexOf(clamped);
    const lineStart = this.lineStarts[lineIndex] ?? 0;
    return { offset: clamped, line: lineIndex + 1, column: clamped - lineStart + 1 };
  }

  rangeAt(startOffset: number, endOffset: number): SourceRange {
    return { file: this.path, start: this.positionAt(startOffset), end: this.positionAt(endOffset) };
  }

  /** The text of a 1-based line, without its line terminator. */
  lineText(line: number): string {
    const start = this.lineStarts[line - 1];
    if (start === undefined) return "";
    const next = this.lineStarts[line] ?? this.text.length;
    return this.text.slice(start, next).replace(/\r?\n$/, "");
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  private lineIndexOf(offset: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 10) starts.push(i + 1);
  }
  return starts;
}
