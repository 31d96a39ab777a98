/**
 * The .figs grammar: a Chevrotain CstParser. Rules are class properties (a
 * misspelled rule is a compile error) and hold no semantic actions; the CST
 * visitor in build-ast.ts turns the CST into the typed AST.
 */
import { CstParser, type IOrAlt, type IParserErrorMessageProvider, type IToken } from "chevrotain";
import * as T from "./tokens.js";

export class FigsParser extends CstParser {
  /**
   * The text the tokens come from, to see line breaks between tokens: the
   * lexer tracks offsets only (tracking lines would double its time).
   */
  private text = "";

  /**
   * `skipValidations` leaves out Chevrotain's grammar checks, about half the
   * time of building the parser; `parse()` skips them at every start of `figs`,
   * the tests build the parser with them (test/cli/bundle-grammar.test.ts).
   */
  constructor(
    errorMessageProvider?: IParserErrorMessageProvider,
    options: { readonly skipValidations?: boolean } = {},
  ) {
    super(T.allTokens, {
      recoveryEnabled: true,
      maxLookahead: 3,
      nodeLocationTracking: "onlyOffset",
      skipValidations: options.skipValidations ?? false,
      ...(errorMessageProvider ? { errorMessageProvider } : {}),
    });
    this.performSelfAnalysis();
  }

  /** The next input: tokens (any slice of the file's) and the whole text they come from. */
  setInput(tokens: IToken[], text: string): void {
    this.input = tokens;
    this.text = text;
  }

  // ------------------------------------------------------------ file level

  public program = this.RULE("program", () => {
    this.MANY(() => this.SUBRULE(this.topLevelItem));
  });

  public topLevelItem = this.RULE("topLevelItem", () => {
    this.OR(this.topLevelAlternatives);
    this.OPTION(() => this.CONSUME(T.Semicolon));
  });

  private readonly topLevelAlternatives: IOrAlt<unknown>[] = [
    { ALT: () => this.SUBRULE(this.importDeclaration) },
    { ALT: () => this.SUBRULE(this.definition) },
    { ALT: () => this.SUBRULE(this.letStatement) },
  ];

  public importDeclaration = this.RULE("importDeclaration", () => {
    this.CONSUME(T.Import);
    this.CONSUME(T.StringLiteral, { LABEL: "path" });
  });

  public definition = this.RULE("definition", () => {
    this.OR(this.definitionKinds);
    this.CONSUME(T.Identifier, { LABEL: "name" });
    this.CONSUME(T.LParen);
    this.OPTION(() => this.SUBRULE(this.parameterList));
    this.CONSUME(T.RParen);
    // A function's result type: `fn make_divisible(v: float) -> int { … }`.
    this.OPTION2(() => {
      this.CONSUME(T.Arrow);
      this.SUBRULE(this.typeReference, { LABEL: "returnType" });
    });
    this.SUBRULE(this.body);
  });

  private readonly definitionKinds: IOrAlt<unknown>[] = [
    { ALT: () => this.CONSUME(T.Op, { LABEL: "definitionKind" }) },
    { ALT: () => this.CONSUME(T.Block, { LABEL: "definitionKind" }) },
    { ALT: () => this.CONSUME(T.Cell, { LABEL: "definitionKind" }) },
    { ALT: () => this.CONSUME(T.Space, { LABEL: "definitionKind" }) },
    { ALT: () => this.CONSUME(T.Fn, { LABEL: "definitionKind" }) },
  ];

  public parameterList = this.RULE("parameterList", () => {
    this.SUBRULE(this.parameter);
    this.MANY(this.moreParameters);
    this.OPTION(() => this.CONSUME2(T.Comma, { LABEL: "trailingComma" }));
  });

  /** `, parameter` unless the comma is a trailing one. */
  private readonly moreParameters = {
    GATE: () => this.LA(2).tokenType !== T.RParen,
    DEF: () => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.parameter);
    },
  };

  public parameter = this.RULE("parameter", () => {
    this.CONSUME(T.Identifier, { LABEL: "name" });
    this.CONSUME(T.Colon);
    this.SUBRULE(this.typeReference, { LABEL: "type" });
    this.OPTION(() => {
      this.CONSUME(T.Equals);
      this.SUBRULE(this.expression, { LABEL: "defaultValue" });
    });
  });

  public typeReference = this.RULE("typeReference", () => {
    // `op` is a keyword, and also the type of a parameter that takes an operator (`act: op = relu`).
    this.OR([
      { ALT: () => this.CONSUME(T.Identifier, { LABEL: "name" }) },
      { ALT: () => this.CONSUME(T.Op, { LABEL: "name" }) },
    ]);
    this.OPTION(() => {
      this.CONSUME(T.LBracket);
      this.SUBRULE(this.typeReference, { LABEL: "argument" });
      this.CONSUME(T.RBracket);
    });
  });

  public body = this.RULE("body", () => {
    this.CONSUME(T.LCurly);
    this.MANY(() => this.SUBRULE(this.statement));
    this.CONSUME(T.RCurly);
  });

  // ------------------------------------------------------------ statements

  public statement = this.RULE("statement", () => {
    this.OR(this.statementAlternatives);
    this.OPTION(() => this.CONSUME(T.Semicolon));
  });

  /** Alternatives and gated repetitions used per statement or argument are built once (see primaryAlternatives). */
  private readonly statementAlternatives: IOrAlt<unknown>[] = [
    { ALT: () => this.SUBRULE(this.letStatement) },
    { ALT: () => this.SUBRULE(this.forStatement) },
    { ALT: () => this.SUBRULE(this.ifStatement) },
    { ALT: () => this.SUBRULE(this.returnStatement) },
    {
      GATE: () => this.LA(1).tokenType === T.Identifier && this.LA(2).tokenType === T.Equals,
      ALT: () => this.SUBRULE(this.assignStatement),
    },
    { ALT: () => this.SUBRULE(this.chain) },
  ];

  /** `return value`: a function's result (the compiler reports one outside a function). */
  public returnStatement = this.RULE("returnStatement", () => {
    this.CONSUME(T.Return);
    this.SUBRULE(this.expression, { LABEL: "value" });
  });

  public letStatement = this.RULE("letStatement", () => {
    this.CONSUME(T.Let);
    this.CONSUME(T.Identifier, { LABEL: "name" });
    this.CONSUME(T.Equals);
    this.SUBRULE(this.chain, { LABEL: "value" });
  });

  public assignStatement = this.RULE("assignStatement", () => {
    this.CONSUME(T.Identifier, { LABEL: "name" });
    this.CONSUME(T.Equals);
    this.SUBRULE(this.chain, { LABEL: "value" });
  });

  public forStatement = this.RULE("forStatement", () => {
    this.CONSUME(T.For);
    this.CONSUME(T.Identifier, { LABEL: "variable" });
    this.CONSUME(T.In);
    this.SUBRULE(this.expression, { LABEL: "iterable" });
    this.SUBRULE(this.body);
  });

  /**
   * `if c { } else if d { } else { }`: the `else if` arms are a loop, not
   * recursion, so a long chain of them cannot overflow the parser's stack.
   */
  public ifStatement = this.RULE("ifStatement", () => {
    this.CONSUME(T.If, { LABEL: "ifKeywords" });
    this.SUBRULE(this.expression, { LABEL: "conditions" });
    this.SUBRULE(this.body, { LABEL: "bodies" });
    this.MANY(() => {
      this.CONSUME(T.Else, { LABEL: "elseIfKeywords" });
      this.CONSUME2(T.If, { LABEL: "ifKeywords" });
      this.SUBRULE2(this.expression, { LABEL: "conditions" });
      this.SUBRULE2(this.body, { LABEL: "bodies" });
    });
    this.OPTION(() => {
      this.CONSUME2(T.Else, { LABEL: "elseKeyword" });
      this.SUBRULE3(this.body, { LABEL: "otherwise" });
    });
  });

  /**
   * `a -> b fixed -> c as name`. The steps' markings are children of the
   * chain itself (the builder gives each to its step by position) rather than
   * of a rule per step: one CST node fewer for every step of every chain.
   */
  public chain = this.RULE("chain", () => {
    this.SUBRULE(this.expression, { LABEL: "steps" });
    this.OPTION(() => this.CONSUME(T.Fixed, { LABEL: "fixed" }));
    this.OPTION2(() => {
      this.CONSUME(T.As);
      this.CONSUME(T.Identifier, { LABEL: "labels" });
    });
    this.MANY(() => {
      this.CONSUME(T.Arrow, { LABEL: "arrows" });
      this.SUBRULE2(this.expression, { LABEL: "steps" });
      this.OPTION3(() => this.CONSUME2(T.Fixed, { LABEL: "fixed" }));
      this.OPTION4(() => {
        this.CONSUME2(T.As);
        this.CONSUME2(T.Identifier, { LABEL: "labels" });
      });
    });
  });

  // ------------------------------------------------------------ expressions

  /**
   * A flat list `operand (operator operand)*`: the AST builder applies
   * precedence and associativity (see build-expression.ts). One rule instead
   * of one per precedence level keeps the CST small and parsing fast, and no
   * grammar recursion means `a ** a ** …` cannot overflow the stack.
   */
  public expression = this.RULE("expression", () => {
    this.SUBRULE(this.operand, { LABEL: "operands" });
    this.MANY(() => {
      this.CONSUME(T.BinaryOperator, { LABEL: "operators" });
      this.SUBRULE2(this.operand, { LABEL: "operands" });
    });
  });

  /**
   * Prefix `not`, `-`, `+` (in any order; the builder refuses the orders
   * Python refuses), a primary value, then subscripts. The primary's
   * alternatives are inlined rather than a rule of their own: an operand is
   * one CST node, which matters on large files.
   */
  public operand = this.RULE("operand", () => {
    this.MANY(() => this.CONSUME(T.PrefixOperator, { LABEL: "prefixes" }));
    this.OR(this.primaryAlternatives);
    this.MANY2(this.subscripts);
  });

  private readonly subscripts = {
    GATE: () => this.continuesLine(),
    DEF: () => this.SUBRULE(this.subscript, { LABEL: "subscripts" }),
  };

  /**
   * `(` and `[` apply to the value before them only on the same line: a line
   * that starts with `(` or `[` starts a new statement, so
   * `relu` followed by a line `(conv(1, 8) -> bn)` is two statements, not a call.
   */
  private continuesLine(): boolean {
    return !lineBreakBetween(this.text, this.LA(0).endOffset! + 1, this.LA(1).startOffset);
  }

  /**
   * Built once: Chevrotain accepts the same alternatives on every call, which
   * saves allocating them per operand. Functions written in object literals
   * inside a rule would also be renamed on every call by tools that keep
   * names (tsx, esbuild's keepNames): that once took a third of the parser's time.
   */
  private readonly primaryAlternatives: IOrAlt<unknown>[] = [
    { ALT: () => this.CONSUME(T.NumberLiteral) },
    { ALT: () => this.CONSUME(T.StringLiteral) },
    { ALT: () => this.CONSUME(T.True) },
    { ALT: () => this.CONSUME(T.False) },
    { ALT: () => this.CONSUME(T.In) },
    { ALT: () => this.SUBRULE(this.callOrName) },
    { ALT: () => this.SUBRULE(this.listLiteral) },
    { ALT: () => this.SUBRULE(this.parenthesized) },
    { ALT: () => this.SUBRULE(this.branchesExpression) },
    { ALT: () => this.SUBRULE(this.residualExpression) },
  ];

  /** `[i]` or a slice `[a:b:s]` with every part optional. */
  public subscript = this.RULE("subscript", () => {
    this.CONSUME(T.LBracket);
    this.OPTION(() => this.SUBRULE(this.expression, { LABEL: "start" }));
    this.OPTION2(() => {
      this.CONSUME(T.Colon, { LABEL: "firstColon" });
      this.OPTION3(() => this.SUBRULE2(this.expression, { LABEL: "end" }));
      this.OPTION4(() => {
        this.CONSUME2(T.Colon, { LABEL: "secondColon" });
        this.OPTION5(() => this.SUBRULE3(this.expression, { LABEL: "step" }));
      });
    });
    this.CONSUME(T.RBracket);
  });

  /** A name, or a call when an argument list follows. */
  public callOrName = this.RULE("callOrName", () => {
    this.CONSUME(T.Identifier, { LABEL: "name" });
    this.OPTION(this.argumentList);
  });

  private readonly argumentList = {
    GATE: () => this.continuesLine(),
    DEF: () => {
      this.CONSUME(T.LParen);
      this.OPTION2(() => {
        this.SUBRULE(this.argument, { LABEL: "arguments" });
        this.MANY(this.moreArguments);
        this.OPTION3(() => this.CONSUME2(T.Comma, { LABEL: "trailingComma" }));
      });
      this.CONSUME(T.RParen);
    },
  };

  /** `, argument` unless the comma is a trailing one. */
  private readonly moreArguments = {
    GATE: () => this.LA(2).tokenType !== T.RParen,
    DEF: () => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.argument, { LABEL: "arguments" });
    },
  };

  public argument = this.RULE("argument", () => {
    this.OPTION(this.argumentName);
    this.SUBRULE(this.chain, { LABEL: "value" });
  });

  private readonly argumentName = {
    GATE: () => this.LA(2).tokenType === T.Colon,
    DEF: () => {
      this.CONSUME(T.Identifier, { LABEL: "name" });
      this.CONSUME(T.Colon);
    },
  };

  public listLiteral = this.RULE("listLiteral", () => {
    this.CONSUME(T.LBracket);
    this.OPTION(() => {
      this.SUBRULE(this.expression, { LABEL: "elements" });
      this.MANY(this.moreElements);
      this.OPTION2(() => this.CONSUME2(T.Comma, { LABEL: "trailingComma" }));
    });
    this.CONSUME(T.RBracket);
  });

  /** `, element` unless the comma is a trailing one. */
  private readonly moreElements = {
    GATE: () => this.LA(2).tokenType !== T.RBracket,
    DEF: () => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.expression, { LABEL: "elements" });
    },
  };

  public parenthesized = this.RULE("parenthesized", () => {
    this.CONSUME(T.LParen);
    this.SUBRULE(this.chain, { LABEL: "inner" });
    this.CONSUME(T.RParen);
  });

  public branchesExpression = this.RULE("branchesExpression", () => {
    this.CONSUME(T.Branches);
    this.SUBRULE(this.body);
    this.CONSUME(T.Aggregate);
    this.SUBRULE(this.operand, { LABEL: "aggregator" });
  });

  public residualExpression = this.RULE("residualExpression", () => {
    this.CONSUME(T.Residual);
    this.SUBRULE(this.body, { LABEL: "main" });
    this.OPTION(() => {
      this.CONSUME(T.Shortcut);
      this.SUBRULE2(this.body, { LABEL: "shortcut" });
    });
  });
}

/**
 * True when a line ends between the offsets ('\n', '\r\n' or a lone '\r',
 * as Chevrotain counts lines). Also true when either offset is unknown (NaN:
 * the end of the input), so nothing continues a line across it.
 */
function lineBreakBetween(text: string, from: number, to: number): boolean {
  if (!(from <= to)) return true;
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i);
    if (code === 10 || code === 13) return true;
  }
  return false;
}
