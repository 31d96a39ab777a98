/**
 * Precedence for the flat `operand (operator operand)*` lists the grammar
 * produces: a small precedence-climbing parser over already-built operands.
 * Levels, loosest first (as in Python):
 *
 *   1 or · 2 and · 3 prefix not · 4 comparisons (not chainable) · 5 .. (not chainable)
 *   6 + - · 7 * / // % · 8 prefix - + · 9 ** (right-associative; its right side may be signed)
 *
 * Left-associative runs are folded in a loop, so `a + a + …` recurses only
 * per level; right-nested forms (`a ** a ** …`, `not not …`) recurse per
 * operator and are cut off at MAX_EXPRESSION_DEPTH.
 */
import type { IToken } from "chevrotain";
import type * as A from "./ast.js";
import type { SourceRange } from "../diagnostics/source.js";
import { codeOf } from "../diagnostics/codes.js";
import { error, type Diagnostic } from "../diagnostics/diagnostic.js";

/** Deeper expressions are refused: consumers of the AST recurse over it. */
export const MAX_EXPRESSION_DEPTH = 200;

/** Thrown inside the builder only; `parse` turns it into a diagnostic. */
export class ExpressionTooDeep {
  constructor(readonly range: SourceRange) {}
}

/** One operand as the grammar delivers it: its prefix operators and its built value. */
export interface OperandParts {
  readonly prefixes: readonly IToken[];
  readonly value: A.Expression;
}

/** What the folder needs from the AST builder: ranges, depth bookkeeping, diagnostics. */
export interface FoldContext {
  tokenRange(token: IToken): SourceRange;
  withDepth<E extends A.Expression>(expression: E, children: readonly A.Expression[]): E;
  report(diagnostic: Diagnostic): void;
}

const NOT_LEVEL = 3;
const SIGN_LEVEL = 8;
const COMPARISON_LEVEL = 4;
const RANGE_LEVEL = 5;

const LEVELS: Readonly<Record<string, number>> = {
  or: 1,
  and: 2,
  "==": COMPARISON_LEVEL,
  "!=": COMPARISON_LEVEL,
  "<": COMPARISON_LEVEL,
  "<=": COMPARISON_LEVEL,
  ">": COMPARISON_LEVEL,
  ">=": COMPARISON_LEVEL,
  "..": RANGE_LEVEL,
  "+": 6,
  "-": 6,
  "*": 7,
  "/": 7,
  "//": 7,
  "%": 7,
  "**": 9,
};

function levelOf(operator: IToken): number {
  return LEVELS[operator.image] ?? 0;
}

function span(from: SourceRange, to: SourceRange): SourceRange {
  return { file: from.file, start: from.start, end: to.end };
}

/** Builds the expression tree of one flat operand/operator list. */
export function foldExpression(
  operands: readonly OperandParts[],
  operators: readonly IToken[],
  context: FoldContext,
): A.Expression {
  return new PrecedenceFolder(operands, operators, context).parse(0, 0, 0);
}

class PrecedenceFolder {
  /** The operand to read next, and how many of its prefixes are already applied. */
  private next = 0;
  private prefixesUsed = 0;

  constructor(
    private readonly operands: readonly OperandParts[],
    private readonly operators: readonly IToken[],
    private readonly context: FoldContext,
  ) {}

  /**
   * Reads an operand and every following operator that binds at least as
   * tightly as `minLevel`. `prefixLevel` is the loosest prefix allowed at its
   * start (`1 + not x` is refused, as Python refuses it).
   */
  parse(minLevel: number, prefixLevel: number, depth: number): A.Expression {
    let left = this.operand(prefixLevel, depth);
    let run: NonAssociativeRun | undefined;
    for (
      let operator = this.operators[this.next - 1];
      operator && levelOf(operator) >= minLevel;
      operator = this.operators[this.next - 1]
    ) {
      const level = levelOf(operator);
      const rightLevel = operator.image === "**" ? SIGN_LEVEL : level + 1;
      const right = this.parse(rightLevel, rightLevel, depth + 1);
      run = this.trackNonAssociative(run, level, left, right, operator);
      left = this.combine(operator, left, right);
    }
    if (run) this.reportChain(run);
    return left;
  }

  private operand(prefixLevel: number, depth: number): A.Expression {
    const parts = this.operands[this.next]!;
    const prefix = parts.prefixes[this.prefixesUsed];
    if (depth > MAX_EXPRESSION_DEPTH)
      throw new ExpressionTooDeep(prefix ? this.context.tokenRange(prefix) : parts.value.range);
    if (!prefix) {
      this.next++;
      this.prefixesUsed = 0;
      return parts.value;
    }
    this.prefixesUsed++;
    const isNot = prefix.image === "not";
    const level = isNot ? NOT_LEVEL : SIGN_LEVEL;
    if (level < prefixLevel) this.reportMisplacedNot(prefix);
    const operand = this.parse(isNot ? NOT_LEVEL + 1 : SIGN_LEVEL, level, depth + 1);
    const unary: A.Unary = {
      kind: "Unary",
      operator: prefix.image as A.UnaryOperator,
      operand,
      range: span(this.context.tokenRange(prefix), operand.range),
    };
    return this.context.withDepth(unary, [operand]);
  }

  private combine(operator: IToken, left: A.Expression, right: A.Expression): A.Expression {
    const range = span(left.range, right.range);
    if (operator.image === "..")
      return this.context.withDepth<A.Range>({ kind: "Range", start: left, end: right, range }, [left, right]);
    const binary: A.Binary = { kind: "Binary", operator: operator.image as A.BinaryOperator, left, right, range };
    return this.context.withDepth(binary, [left, right]);
  }

  /** Comparisons and ranges do not chain: remember a run of them to report it once. */
  private trackNonAssociative(
    run: NonAssociativeRun | undefined,
    level: number,
    left: A.Expression,
    right: A.Expression,
    operator: IToken,
  ): NonAssociativeRun | undefined {
    if (level !== COMPARISON_LEVEL && level !== RANGE_LEVEL) {
      // Another operator ends the run: `a < b != c and d` chains `<` and `!=` as surely as `a < b != c` does.
      if (run) this.reportChain(run);
      return undefined;
    }
    if (run && run.level === level) return { ...run, last: right, count: run.count + 1, operator };
    if (run) this.reportChain(run);
    return { level, first: left, last: right, count: 1, operator };
  }

  private reportChain(run: NonAssociativeRun): void {
    if (run.count < 2) return;
    const range = span(run.first.range, run.last.range);
    if (run.level === COMPARISON_LEVEL) {
      const message = "comparisons cannot be chained: write 'a < b and b < c' instead of 'a < b < c'";
      this.context.report(error(codeOf("ChainedComparison"), message, range));
    } else {
      const message = "ranges cannot be chained: 'a..b..c' has no meaning; write one range 'a..b'";
      this.context.report(error(codeOf("UnexpectedToken"), message, this.context.tokenRange(run.operator)));
    }
  }

  private reportMisplacedNot(prefix: IToken): void {
    const message = "'not' cannot stand here without parentheses: write '(not …)'";
    this.context.report(error(codeOf("UnexpectedToken"), message, this.context.tokenRange(prefix)));
  }
}

interface NonAssociativeRun {
  readonly level: number;
  readonly first: A.Expression;
  readonly last: A.Expression;
  readonly count: number;
  /** The last operator of the run: where a chained range is reported. */
  readonly operator: IToken;
}
