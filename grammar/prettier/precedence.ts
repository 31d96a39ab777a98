/**
 * Operator precedence, for printing. The AST keeps a `Parenthesized` node
 * wherever the author wrote parentheses, so a tree that came from the parser
 * never needs more; a tree built otherwise (a rewrite, a test) gets exactly
 * the parentheses the grammar needs to read it back as the same tree.
 *
 * Levels follow grammar/parser.ts, loosest first: or, and, not, comparison,
 * range, additive, multiplicative, sign (+x, -x), power, postfix, primary.
 */
import type { BinaryOperator, Expression } from "../ast.js";

enum Level {
  Or = 1,
  And,
  Not,
  Comparison,
  Range,
  Additive,
  Multiplicative,
  Sign,
  Power,
  Postfix,
  Primary,
}

const binaryLevels: Record<BinaryOperator, Level> = {
  or: Level.Or,
  and: Level.And,
  "==": Level.Comparison,
  "!=": Level.Comparison,
  "<": Level.Comparison,
  "<=": Level.Comparison,
  ">": Level.Comparison,
  ">=": Level.Comparison,
  "+": Level.Additive,
  "-": Level.Additive,
  "*": Level.Multiplicative,
  "/": Level.Multiplicative,
  "//": Level.Multiplicative,
  "%": Level.Multiplicative,
  "**": Level.Power,
};

function levelOf(expression: Expression): Level {
  switch (expression.kind) {
    case "Binary":
      return binaryLevels[expression.operator];
    case "Unary":
      return expression.operator === "not" ? Level.Not : Level.Sign;
    case "Range":
      return Level.Range;
    case "Index":
    case "Slice":
      return Level.Postfix;
    default:
      return Level.Primary;
  }
}

/** A slot of an operator, or of an operand position the grammar restricts. */
export type Slot = "left" | "right" | "operand" | "target" | "aggregator";

/** True when `child` in `slot` of `parent` must be wrapped in parentheses. */
export function needsParens(child: Expression, parent: Expression, slot: Slot): boolean {
  const level = levelOf(child);
  switch (parent.kind) {
    case "Binary":
      return level < binaryMinimum(parent.operator, slot);
    case "Range":
      return level < Level.Additive;
    case "Unary":
      // `not not a` and `- -a` repeat the prefix; anything looser needs parentheses.
      if (child.kind === "Unary" && (child.operator === "not") === (parent.operator === "not")) return false;
      return level < (parent.operator === "not" ? Level.Comparison : Level.Power);
    case "Index":
    case "Slice":
    case "Branches":
      // A branches expression ends in its aggregator, which would take the subscript as its own.
      return level < Level.Postfix || (slot === "target" && child.kind === "Branches");
    default:
      return false;
  }
}

function binaryMinimum(operator: BinaryOperator, slot: Slot): Level {
  const level = binaryLevels[operator];
  if (operator === "**") return slot === "left" ? Level.Postfix : Level.Sign;
  // Comparisons do not chain and ranges do not nest: both sides one level tighter.
  if (level === Level.Comparison) return Level.Range;
  return slot === "left" ? level : level + 1;
}

/**
 * True when the printed expression starts with `+` or `-`, which would
 * continue the previous statement as a binary operator even across a line
 * break: the one place a `;` is kept. (`(` and `[` on a new line start a new
 * statement in the grammar, so they need none.)
 */
export function startsWithSign(expression: Expression): boolean {
  switch (expression.kind) {
    case "Unary":
      return expression.operator !== "not";
    case "Binary":
      return !needsParens(expression.left, expression, "left") && startsWithSign(expression.left);
    case "Range":
      return !needsParens(expression.start, expression, "left") && startsWithSign(expression.start);
    case "Index":
    case "Slice":
      return !needsParens(expression.target, expression, "target") && startsWithSign(expression.target);
    default:
      return false;
  }
}
