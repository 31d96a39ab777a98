/**
 * The typed AST of a .figs file. Every node has a `range` in its source file.
 * Produced by the CST visitor in `build-ast.ts`; consumed by the formatter and
 * the compiler. Nodes are plain data (JSON-serialisable).
 */
import type { SourceRange } from "../diagnostics/source.js";

export interface NodeBase {
  readonly range: SourceRange;
}

export interface Identifier extends NodeBase {
  readonly kind: "Identifier";
  readonly name: string;
}

// ---------------------------------------------------------------- file level

export interface Program extends NodeBase {
  readonly kind: "Program";
  readonly items: readonly TopLevelItem[];
  /** Every comment of the file, in order; the formatter attaches them to nodes. */
  readonly comments: readonly Comment[];
}

/** A `#` line comment or a block comment; `text` is the whole comment as written. */
export interface Comment extends NodeBase {
  readonly kind: "Comment";
  readonly text: string;
  readonly block: boolean;
}

export type TopLevelItem = Import | Definition | LetStatement;

export interface Import extends NodeBase {
  readonly kind: "Import";
  readonly path: StringLiteral;
}

export type DefinitionKind = "op" | "block" | "cell" | "space" | "fn";

export interface Definition extends NodeBase {
  readonly kind: "Definition";
  readonly definitionKind: DefinitionKind;
  readonly name: Identifier;
  readonly params: readonly Parameter[];
  /** A function's (`fn`) result type, after `->`. */
  readonly returnType?: TypeRef;
  readonly body: Body;
}

export interface Parameter extends NodeBase {
  readonly kind: "Parameter";
  readonly name: Identifier;
  readonly type: TypeRef;
  readonly defaultValue?: Expression;
}

/** `int`, `float`, `bool`, `string`, `agg`, `list[int]` … resolved by the compiler. */
export interface TypeRef extends NodeBase {
  readonly kind: "TypeRef";
  readonly name: Identifier;
  readonly argument?: TypeRef;
}

export interface Body extends NodeBase {
  readonly kind: "Body";
  readonly statements: readonly Statement[];
}

// ---------------------------------------------------------------- statements

export type Statement = LetStatement | AssignStatement | ForStatement | IfStatement | ReturnStatement | ChainStatement;

/** `return value`: ends a function (`fn`) with its result. */
export interface ReturnStatement extends NodeBase {
  readonly kind: "Return";
  readonly value: Expression;
}

/** `let name = value`: binds a compile-time value or a tensor (a chain). */
export interface LetStatement extends NodeBase {
  readonly kind: "Let";
  readonly name: Identifier;
  readonly value: Chain;
}

/** `name = value`: rebinds an existing `let` (e.g. to grow a list of nodes in a loop). */
export interface AssignStatement extends NodeBase {
  readonly kind: "Assign";
  readonly name: Identifier;
  readonly value: Chain;
}

/** `for i in 0..n { … }`: unrolled at compile time. */
export interface ForStatement extends NodeBase {
  readonly kind: "For";
  readonly variable: Identifier;
  readonly iterable: Expression;
  readonly body: Body;
}

/** `if c { … } else if d { … } else { … }`: decided at compile time. */
export interface IfStatement extends NodeBase {
  readonly kind: "If";
  readonly condition: Expression;
  readonly then: Body;
  readonly otherwise?: Body | IfStatement;
}

/** A chain on its own line: applied to the current tensor, its result becomes the current tensor. */
export interface ChainStatement extends NodeBase {
  readonly kind: "ChainStatement";
  readonly chain: Chain;
}

/** `a -> b -> c`. A chain of one step is a plain expression. */
export interface Chain extends NodeBase {
  readonly kind: "Chain";
  readonly steps: readonly ChainStep[];
}

/** One step of a chain, with its markings: `dense(10) fixed as logits`. */
export interface ChainStep extends NodeBase {
  readonly kind: "ChainStep";
  readonly expression: Expression;
  readonly fixed: boolean;
  readonly label?: Identifier;
}

// ---------------------------------------------------------------- expressions

export type Expression =
  | NumberLiteral
  | StringLiteral
  | BooleanLiteral
  | NameRef
  | InChannels
  | ListLiteral
  | Unary
  | Binary
  | Range
  | Call
  | Index
  | Slice
  | Parenthesized
  | Branches
  | Residual;

export interface NumberLiteral extends NodeBase {
  readonly kind: "Number";
  readonly value: number;
  /** The source spelling, kept so the formatter prints `1e-3` as written. */
  readonly text: string;
  readonly isInteger: boolean;
}

export interface StringLiteral extends NodeBase {
  readonly kind: "String";
  readonly value: string;
}

export interface BooleanLiteral extends NodeBase {
  readonly kind: "Boolean";
  readonly value: boolean;
}

export interface NameRef extends NodeBase {
  readonly kind: "Name";
  readonly name: string;
}

/** `in`: the channel count of the tensor flowing into the current statement. */
export interface InChannels extends NodeBase {
  readonly kind: "In";
}

export interface ListLiteral extends NodeBase {
  readonly kind: "List";
  readonly elements: readonly Expression[];
}

export type UnaryOperator = "-" | "+" | "not";

export interface Unary extends NodeBase {
  readonly kind: "Unary";
  readonly operator: UnaryOperator;
  readonly operand: Expression;
}

export type BinaryOperator =
  "or" | "and" | "==" | "!=" | "<" | "<=" | ">" | ">=" | "+" | "-" | "*" | "/" | "//" | "%" | "**";

export interface Binary extends NodeBase {
  readonly kind: "Binary";
  readonly operator: BinaryOperator;
  readonly left: Expression;
  readonly right: Expression;
}

/** `a..b`: the integers a, a+1, …, b-1. */
export interface Range extends NodeBase {
  readonly kind: "Range";
  readonly start: Expression;
  readonly end: Expression;
}

export interface Argument extends NodeBase {
  readonly kind: "Argument";
  readonly name?: Identifier;
  readonly value: Chain;
}

/** `f(a, b, name: c)`: a primitive, a definition, or a built-in function (`min`, `max`, `len` …). */
export interface Call extends NodeBase {
  readonly kind: "Call";
  readonly callee: Identifier;
  readonly args: readonly Argument[];
}

export interface Index extends NodeBase {
  readonly kind: "Index";
  readonly target: Expression;
  readonly index: Expression;
}

/** `xs[a:b]`, `xs[:b]`, `xs[a:]`, `xs[::s]`. */
export interface Slice extends NodeBase {
  readonly kind: "Slice";
  readonly target: Expression;
  readonly start?: Expression;
  readonly end?: Expression;
  readonly step?: Expression;
}

/** Kept so the formatter can keep parentheses the author wrote. */
export interface Parenthesized extends NodeBase {
  readonly kind: "Parenthesized";
  readonly expression: Chain;
}

/** `branches { … } aggregate sum|concat`: parallel operators joined by an aggregator. */
export interface Branches extends NodeBase {
  readonly kind: "Branches";
  readonly body: Body;
  readonly aggregator: Expression;
}

/** `residual { f } [shortcut { g }]`: g(x) + f(x), with g the identity by default. */
export interface Residual extends NodeBase {
  readonly kind: "Residual";
  readonly body: Body;
  readonly shortcut?: Body;
}

export type AstNode =
  | Program
  | TopLevelItem
  | Parameter
  | TypeRef
  | Body
  | Statement
  | Chain
  | ChainStep
  | Argument
  | Identifier
  | Expression;
