/**
 * The CST visitor: one method per grammar rule (the generated FigsCstVisitor
 * interface makes a missing rule a type error), each turning a CST node's
 * children into typed AST nodes with source ranges. Runs only on a CST that
 * parsed without errors, so every required child is present.
 */
import type { CstNode, IToken } from "chevrotain";
import type * as A from "./ast.js";
import type * as C from "./cst-types.js";
import type { SourceFile, SourceRange } from "../diagnostics/source.js";
import { error, type Diagnostic } from "../diagnostics/diagnostic.js";
import { codeOf } from "../diagnostics/codes.js";
import { PositionIndex } from "./positions.js";
import {
  ExpressionTooDeep,
  foldExpression,
  MAX_EXPRESSION_DEPTH,
  type FoldContext,
  type OperandParts,
} from "./build-expression.js";

export { ExpressionTooDeep, MAX_EXPRESSION_DEPTH };

type RuleName = Exclude<keyof C.FigsCstVisitor<void, unknown>, "visit" | "validateVisitor">;
/** One method per rule, taking that rule's children (and its node): a missing rule is a type error. */
type RuleVisitor = {
  [K in RuleName]: (
    children: Parameters<C.FigsCstVisitor<void, unknown>[K]>[0],
    node: CstNode,
    ...rest: never[]
  ) => unknown;
};

/** A '.' or an exponent: the literal is written as a float. */
const NOT_INTEGER = /[.eE]/;

interface StepMarks {
  fixed?: IToken;
  label?: IToken;
}

/** Gives each marking token (in source order) to its step: the number of arrows before it. */
function assignToSteps(
  tokens: readonly IToken[],
  arrows: readonly IToken[],
  assign: (step: number, token: IToken) => void,
): void {
  let step = 0;
  for (const token of tokens) {
    while (step < arrows.length && arrows[step]!.startOffset < token.startOffset) step++;
    assign(step, token);
  }
}

export class AstBuilder implements RuleVisitor {
  /**
   * Depths of the current item's compound expressions. A Map, not a WeakMap: ephemeron tables slow the garbage
   * collector down.
   */
  private readonly depths = new Map<A.Expression, number>();
  /** Syntax rules the grammar cannot express (duplicate parameters, a < b < c …). */
  readonly diagnostics: Diagnostic[] = [];

  private readonly positions: PositionIndex;

  constructor(private readonly source: SourceFile) {
    this.positions = new PositionIndex(source.path, source.text);
  }

  // ------------------------------------------------------------ ranges

  private tokenRange(token: IToken): SourceRange {
    return this.positions.rangeAt(token.startOffset, token.startOffset + token.image.length);
  }

  private nodeRange(node: CstNode): SourceRange {
    const location = node.location!;
    return this.positions.rangeAt(location.startOffset, (location.endOffset ?? location.startOffset) + 1);
  }

  private span(from: SourceRange, to: SourceRange): SourceRange {
    return { file: from.file, start: from.start, end: to.end };
  }

  private identifier(token: IToken): A.Identifier {
    return { kind: "Identifier", name: token.image, range: this.tokenRange(token) };
  }

  // ------------------------------------------------------------ depth guard

  private depthOf(expression: A.Expression): number {
    return this.depths.get(expression) ?? 1;
  }

  private withDepth<E extends A.Expression>(expression: E, childDepths: number[]): E {
    let depth = 1;
    for (const childDepth of childDepths) depth = Math.max(depth, childDepth + 1);
    if (depth > MAX_EXPRESSION_DEPTH) throw new ExpressionTooDeep(expression.range);
    this.depths.set(expression, depth);
    return expression;
  }

  private chainDepth(chain: A.Chain): number {
    let depth = 0;
    for (const step of chain.steps) depth = Math.max(depth, this.depthOf(step.expression));
    return depth;
  }

  private bodyDepth(body: A.Body): number {
    let depth = 0;
    for (const statement of body.statements) depth = Math.max(depth, this.statementDepth(statement));
    return depth + 2;
  }

  private statementDepth(statement: A.Statement): number {
    switch (statement.kind) {
      case "Let":
      case "Assign":
        return this.chainDepth(statement.value);
      case "ChainStatement":
        return this.chainDepth(statement.chain);
      case "Return":
        return this.depthOf(statement.value);
      case "For":
        return Math.max(this.depthOf(statement.iterable), this.bodyDepth(statement.body));
      case "If": {
        const otherwise = statement.otherwise;
        const elseDepth = !otherwise
          ? 0
          : otherwise.kind === "Body"
            ? this.bodyDepth(otherwise)
            : this.statementDepth(otherwise) + 1;
        return Math.max(this.depthOf(statement.condition), this.bodyDepth(statement.then), elseDepth);
      }
    }
  }

  // ------------------------------------------------------------ file level

  program(children: C.ProgramCstChildren, _node: CstNode, comments: A.Comment[] = []): A.Program {
    return this.programOf(
      (children.topLevelItem ?? []).map((item) => this.topLevelItem(item.children)),
      comments,
    );
  }

  /** The whole file, from items built one at a time (see parse-chunks.ts). */
  programOf(items: A.TopLevelItem[], comments: A.Comment[]): A.Program {
    return { kind: "Program", items, comments, range: this.source.rangeAt(0, this.source.text.length) };
  }

  /** One item of the file. Depths are only asked of an item's own expressions, so they are forgotten after it. */
  topLevelItem(children: C.TopLevelItemCstChildren): A.TopLevelItem {
    try {
      if (children.importDeclaration)
        return this.importDeclaration(children.importDeclaration[0]!.children, children.importDeclaration[0]!);
      if (children.definition) return this.definition(children.definition[0]!.children, children.definition[0]!);
      const letNode = children.letStatement![0]!;
      return this.letStatement(letNode.children, letNode);
    } finally {
      this.depths.clear();
    }
  }

  importDeclaration(children: C.ImportDeclarationCstChildren, node: CstNode): A.Import {
    const path = this.stringLiteral(children.path[0]!);
    return { kind: "Import", path, range: this.nodeRange(node) };
  }

  definition(children: C.DefinitionCstChildren, node: CstNode): A.Definition {
    const definitionKind = children.definitionKind![0]!.image as A.DefinitionKind;
    const params = children.parameterList ? this.parameterList(children.parameterList[0]!.children) : [];
    const body = this.body(children.body[0]!.children, children.body[0]!);
    const returned = children.returnType?.[0];
    return {
      kind: "Definition",
      definitionKind,
      name: this.identifier(children.name[0]!),
      params,
      ...(returned ? { returnType: this.typeReference(returned.children, returned) } : {}),
      body,
      range: this.nodeRange(node),
    };
  }

  parameterList(children: C.ParameterListCstChildren): A.Parameter[] {
    const params = children.parameter.map((p) => this.parameter(p.children, p));
    const seen = new Map<string, A.Parameter>();
    for (const param of params) {
      const first = seen.get(param.name.name);
      if (first) {
        const note = { message: `'${param.name.name}' is first declared here`, range: first.name.range };
        this.diagnostics.push(
          error(codeOf("DuplicateParameter"), `parameter '${param.name.name}' is declared twice`, param.name.range, [
            note,
          ]),
        );
      } else seen.set(param.name.name, param);
    }
    return params;
  }

  parameter(children: C.ParameterCstChildren, node: CstNode): A.Parameter {
    const typeNode = children.type[0]!;
    const base = {
      kind: "Parameter" as const,
      name: this.identifier(children.name[0]!),
      type: this.typeReference(typeNode.children, typeNode),
      range: this.nodeRange(node),
    };
    return children.defaultValue
      ? { ...base, defaultValue: this.expression(children.defaultValue[0]!.children) }
      : base;
  }

  typeReference(children: C.TypeReferenceCstChildren, node: CstNode): A.TypeRef {
    // Either alternative is labelled `name`: an identifier, or the keyword `op`.
    const base = { kind: "TypeRef" as const, name: this.identifier(children.name![0]!), range: this.nodeRange(node) };
    const argument = children.argument?.[0];
    return argument ? { ...base, argument: this.typeReference(argument.children, argument) } : base;
  }

  body(children: C.BodyCstChildren, node: CstNode): A.Body {
    const statements = (children.statement ?? []).map((s) => this.statement(s.children));
    return { kind: "Body", statements, range: this.nodeRange(node) };
  }

  // ------------------------------------------------------------ statements

  /** The alternatives are tried most frequent first: CST children are hash tables, and every miss is a lookup. */
  statement(children: C.StatementCstChildren): A.Statement {
    const chainNode = children.chain?.[0];
    if (chainNode) {
      const chain = this.chain(chainNode.children, chainNode);
      return { kind: "ChainStatement", chain, range: chain.range };
    }
    if (children.letStatement) return this.letStatement(children.letStatement[0]!.children, children.letStatement[0]!);
    if (children.forStatement) return this.forStatement(children.forStatement[0]!.children, children.forStatement[0]!);
    if (children.ifStatement) return this.ifStatement(children.ifStatement[0]!.children, children.ifStatement[0]!);
    const returned = children.returnStatement?.[0];
    if (returned) return this.returnStatement(returned.children, returned);
    const assign = children.assignStatement![0]!;
    return this.assignStatement(assign.children, assign);
  }

  returnStatement(children: C.ReturnStatementCstChildren, node: CstNode): A.ReturnStatement {
    const value = this.expression(children.value[0]!.children);
    return { kind: "Return", value, range: this.nodeRange(node) };
  }

  letStatement(children: C.LetStatementCstChildren, node: CstNode): A.LetStatement {
    const value = this.chain(children.value[0]!.children, children.value[0]!);
    return { kind: "Let", name: this.identifier(children.name[0]!), value, range: this.nodeRange(node) };
  }

  assignStatement(children: C.AssignStatementCstChildren, node: CstNode): A.AssignStatement {
    const value = this.chain(children.value[0]!.children, children.value[0]!);
    return { kind: "Assign", name: this.identifier(children.name[0]!), value, range: this.nodeRange(node) };
  }

  forStatement(children: C.ForStatementCstChildren, node: CstNode): A.ForStatement {
    return {
      kind: "For",
      variable: this.identifier(children.variable[0]!),
      iterable: this.expression(children.iterable[0]!.children),
      body: this.body(children.body[0]!.children, children.body[0]!),
      range: this.nodeRange(node),
    };
  }

  /** The `else if` arms come as parallel lists; they nest from the last one outwards. */
  ifStatement(children: C.IfStatementCstChildren, node: CstNode): A.IfStatement {
    const arms = this.limitArms(children);
    const conditions = children.conditions.slice(0, arms).map((c) => this.expression(c.children));
    const bodies = children.bodies.slice(0, arms).map((b) => this.body(b.children, b));
    const otherwiseNode = arms < children.conditions.length ? undefined : children.otherwise?.[0];
    let otherwise: A.Body | A.IfStatement | undefined = otherwiseNode
      ? this.body(otherwiseNode.children, otherwiseNode)
      : undefined;
    const end = this.nodeRange(node).end;
    for (let arm = conditions.length - 1; arm >= 0; arm--) {
      const start = this.tokenRange(children.ifKeywords[arm]!).start;
      const range: SourceRange = { file: this.source.path, start, end };
      const statement: A.IfStatement = { kind: "If", condition: conditions[arm]!, then: bodies[arm]!, range };
      otherwise = otherwise ? { ...statement, otherwise } : statement;
    }
    return otherwise as A.IfStatement;
  }

  /** The AST nests one level per `else if`; consumers recurse over it, so the chain is capped. */
  private limitArms(children: C.IfStatementCstChildren): number {
    const arms = children.conditions.length;
    if (arms <= MAX_EXPRESSION_DEPTH) return arms;
    const range = this.tokenRange(children.elseIfKeywords![MAX_EXPRESSION_DEPTH - 1]!);
    const message =
      `this 'if' has ${arms} arms ('if' and 'else if'), more than the ${MAX_EXPRESSION_DEPTH} allowed; ` +
      "use a list and indexing, or split it";
    this.diagnostics.push(error(codeOf("NestingTooDeep"), message, range));
    return MAX_EXPRESSION_DEPTH;
  }

  chain(children: C.ChainCstChildren, node: CstNode): A.Chain {
    const marks = new Array<StepMarks | undefined>(children.steps.length);
    // Most chains mark no step: skip the bookkeeping for them.
    if (children.fixed || children.labels) {
      const arrows = children.arrows ?? [];
      assignToSteps(children.fixed ?? [], arrows, (step, token) => ((marks[step] ??= {}).fixed = token));
      assignToSteps(children.labels ?? [], arrows, (step, token) => ((marks[step] ??= {}).label = token));
    }
    const steps = children.steps.map((step, i) => this.chainStep(step, marks[i]));
    return { kind: "Chain", steps, range: this.nodeRange(node) };
  }

  /** One step: its expression, then `fixed` and `as name` if present; the range ends at the last of them. */
  private chainStep(step: C.ExpressionCstNode, marks: StepMarks | undefined): A.ChainStep {
    const expression = this.expression(step.children);
    const location = step.location!;
    const last = marks?.label ?? marks?.fixed;
    const end = last ? last.startOffset + last.image.length : (location.endOffset ?? location.startOffset) + 1;
    const base = {
      kind: "ChainStep" as const,
      expression,
      fixed: marks?.fixed !== undefined,
      range: this.positions.rangeAt(location.startOffset, end),
    };
    return marks?.label ? { ...base, label: this.identifier(marks.label) } : base;
  }

  // ------------------------------------------------------------ operators

  private readonly foldContext: FoldContext = {
    tokenRange: (token) => this.tokenRange(token),
    withDepth: (expression, children) =>
      this.withDepth(
        expression,
        children.map((c) => this.depthOf(c)),
      ),
    report: (diagnostic) => this.diagnostics.push(diagnostic),
  };

  expression(children: C.ExpressionCstChildren): A.Expression {
    const first = children.operands[0]!.children;
    // Most expressions are one operand without prefixes: no precedence to apply.
    if (children.operands.length === 1 && !first.prefixes) return this.operand(first).value;
    const operands = children.operands.map((o) => this.operand(o.children));
    return foldExpression(operands, children.operators ?? [], this.foldContext);
  }

  operand(children: C.OperandCstChildren): OperandParts {
    let value = this.primary(children);
    for (const subscript of children.subscripts ?? []) value = this.subscript(subscript.children, subscript, value);
    return { prefixes: children.prefixes ?? [], value };
  }

  subscript(children: C.SubscriptCstChildren, node: CstNode, target: A.Expression): A.Expression {
    const range = this.span(target.range, this.nodeRange(node));
    const start = children.start ? this.expression(children.start[0]!.children) : undefined;
    if (!children.firstColon) {
      if (start === undefined) {
        // `xs[]`: the grammar lets both halves of a subscript be absent, as in `xs[:]`; an index needs its value.
        const message = "expected an index inside '[]', e.g. 'xs[0]', or a slice, e.g. 'xs[1:]'";
        this.diagnostics.push(error(codeOf("ExpectedExpression"), message, this.nodeRange(node)));
        return target;
      }
      const index: A.Index = { kind: "Index", target, index: start, range };
      return this.withDepth(index, [this.depthOf(target), this.depthOf(start)]);
    }
    const end = children.end ? this.expression(children.end[0]!.children) : undefined;
    const step = children.step ? this.expression(children.step[0]!.children) : undefined;
    const slice: A.Slice = {
      kind: "Slice",
      target,
      ...(start && { start }),
      ...(end && { end }),
      ...(step && { step }),
      range,
    };
    const parts = [target, start, end, step].filter((e): e is A.Expression => e !== undefined);
    return this.withDepth(
      slice,
      parts.map((e) => this.depthOf(e)),
    );
  }

  // ------------------------------------------------------------ primaries

  /**
   * The primary value of an operand (its alternatives are inlined in the operand rule), most frequent first, as in
   * `statement`.
   */
  private primary(children: C.OperandCstChildren): A.Expression {
    if (children.callOrName) return this.callOrName(children.callOrName[0]!.children, children.callOrName[0]!);
    if (children.NumberLiteral) return this.numberLiteral(children.NumberLiteral[0]!);
    if (children.StringLiteral) return this.stringLiteral(children.StringLiteral[0]!);
    if (children.True) return { kind: "Boolean", value: true, range: this.tokenRange(children.True[0]!) };
    if (children.False) return { kind: "Boolean", value: false, range: this.tokenRange(children.False[0]!) };
    if (children.In) return { kind: "In", range: this.tokenRange(children.In[0]!) };
    if (children.listLiteral) return this.listLiteral(children.listLiteral[0]!.children, children.listLiteral[0]!);
    if (children.parenthesized)
      return this.parenthesized(children.parenthesized[0]!.children, children.parenthesized[0]!);
    if (children.branchesExpression)
      return this.branchesExpression(children.branchesExpression[0]!.children, children.branchesExpression[0]!);
    const residual = children.residualExpression![0]!;
    return this.residualExpression(residual.children, residual);
  }

  private numberLiteral(token: IToken): A.NumberLiteral {
    const text = token.image;
    const isInteger = !NOT_INTEGER.test(text);
    return {
      kind: "Number",
      value: Number(text.includes("_") ? text.replaceAll("_", "") : text),
      text,
      isInteger,
      range: this.tokenRange(token),
    };
  }

  private stringLiteral(token: IToken): A.StringLiteral {
    const value = token.image
      .slice(1, -1)
      .replace(/\\(.)/g, (_, c: string) => ({ n: "\n", t: "\t" })[c as "n" | "t"] ?? c);
    return { kind: "String", value, range: this.tokenRange(token) };
  }

  callOrName(children: C.CallOrNameCstChildren, node: CstNode): A.Expression {
    const name = children.name[0]!;
    if (!children.LParen) return { kind: "Name", name: name.image, range: this.tokenRange(name) };
    const args = this.argumentsOf(children);
    const call: A.Call = { kind: "Call", callee: this.identifier(name), args, range: this.nodeRange(node) };
    return this.withDepth(
      call,
      args.map((a) => this.chainDepth(a.value)),
    );
  }

  private argumentsOf(children: C.CallOrNameCstChildren): A.Argument[] {
    const args = (children.arguments ?? []).map((a) => this.argument(a.children, a));
    const firstNamed = args.find((a) => a.name);
    const misplaced = firstNamed ? args.slice(args.indexOf(firstNamed)).find((a) => !a.name) : undefined;
    if (firstNamed && misplaced) {
      const note = { message: "the first named argument is here", range: firstNamed.range };
      this.diagnostics.push(
        error(codeOf("PositionalAfterNamed"), "a positional argument cannot follow a named one", misplaced.range, [
          note,
        ]),
      );
    }
    return args;
  }

  argument(children: C.ArgumentCstChildren, node: CstNode): A.Argument {
    const value = this.chain(children.value[0]!.children, children.value[0]!);
    const name = children.name?.[0];
    const range = this.nodeRange(node);
    return name ? { kind: "Argument", name: this.identifier(name), value, range } : { kind: "Argument", value, range };
  }

  listLiteral(children: C.ListLiteralCstChildren, node: CstNode): A.ListLiteral {
    const elements = (children.elements ?? []).map((e) => this.expression(e.children));
    return this.withDepth(
      { kind: "List", elements, range: this.nodeRange(node) },
      elements.map((e) => this.depthOf(e)),
    );
  }

  parenthesized(children: C.ParenthesizedCstChildren, node: CstNode): A.Parenthesized {
    const expression = this.chain(children.inner[0]!.children, children.inner[0]!);
    return this.withDepth({ kind: "Parenthesized", expression, range: this.nodeRange(node) }, [
      this.chainDepth(expression),
    ]);
  }

  branchesExpression(children: C.BranchesExpressionCstChildren, node: CstNode): A.Branches {
    const body = this.body(children.body[0]!.children, children.body[0]!);
    const aggregator = this.aggregator(children.aggregator[0]!.children);
    const branches: A.Branches = { kind: "Branches", body, aggregator, range: this.nodeRange(node) };
    return this.withDepth(branches, [this.bodyDepth(body), this.depthOf(aggregator)]);
  }

  /** `aggregate sum`, `aggregate agg`, `aggregate aggs[0]`: an operand without prefix operators. */
  private aggregator(children: C.OperandCstChildren): A.Expression {
    const sign = children.prefixes?.[0];
    if (sign) {
      const message =
        `an aggregator cannot start with '${sign.image}': ` +
        "write 'aggregate sum', 'aggregate concat' or a parameter of type agg";
      this.diagnostics.push(error(codeOf("InvalidAggregator"), message, this.tokenRange(sign)));
    }
    return this.operand(children).value;
  }

  residualExpression(children: C.ResidualExpressionCstChildren, node: CstNode): A.Residual {
    const body = this.body(children.main[0]!.children, children.main[0]!);
    const shortcutNode = children.shortcut?.[0];
    const shortcut = shortcutNode ? this.body(shortcutNode.children, shortcutNode) : undefined;
    const residual: A.Residual = { kind: "Residual", body, ...(shortcut && { shortcut }), range: this.nodeRange(node) };
    return this.withDepth(residual, [this.bodyDepth(body), shortcut ? this.bodyDepth(shortcut) : 0]);
  }
}
