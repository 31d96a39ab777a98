/**
 * The wording of syntax errors, by grammar rule and expected token: what the
 * user was in the middle of writing ("expected ':' and a type after the
 * parameter name") rather than what the grammar wanted ("expected Colon").
 */
import type { IToken } from "chevrotain";

/** Rules where a failure means "a value was expected here". */
export const VALUE_RULES: ReadonlySet<string> = new Set(["expression", "operand"]);

/** What a parameter's type may be, for the errors of the `typeReference` rule. */
export const TYPE_EXPECTED = "expected a type (int, float, bool, string, agg, tensor, op or list[…])";

const phrases: Readonly<Record<string, string>> = {
  "importDeclaration.StringLiteral":
    "expected the imported file as a string after 'import', as in import \"stdlib/mobile.figs\"",
  "definition.Identifier": "expected the definition's name",
  "definition.LParen": "expected '(' and the parameter list after the definition's name",
  "parameterList.Identifier": "expected a parameter name",
  "parameter.Identifier": "expected a parameter name",
  "parameter.Colon": "expected ':' and a type after the parameter name",
  "typeReference.Identifier": TYPE_EXPECTED,
  "letStatement.Identifier": "expected a name after 'let'",
  "letStatement.Equals": "expected '=' and a value after the name in 'let'",
  "assignStatement.Equals": "expected '=' after the name",
  "forStatement.Identifier": "expected the loop variable after 'for'",
  "forStatement.In": "expected 'in' after the loop variable",
  "chain.Identifier": "expected a name after 'as'",
  "argument.Colon": "expected ':' after the argument name",
};

/** The sentence for an expected token in a rule, or undefined for the generic wording. */
export function expectationPhrase(rule: string, expected: string, previous: IToken | undefined): string | undefined {
  if (expected === "LCurly")
    return previous ? `expected '{' to open a body after '${previous.image}'` : "expected '{' to open a body";
  return phrases[`${rule}.${expected}`];
}

const roles: Readonly<Record<string, string>> = {
  definition: "a definition name",
  parameter: "a parameter name",
  parameterList: "a parameter name",
  typeReference: "a type",
  letStatement: "a 'let' name",
  forStatement: "a loop variable",
  chain: "a label",
};

/** What a name in this rule would have been, for "'for' is a keyword and cannot be used as a loop variable". */
export function keywordRole(rule: string): string {
  return roles[rule] ?? "a name";
}

const ruleNames: Readonly<Record<string, string>> = {
  definition: " in the definition",
  parameter: " in the parameter",
  parameterList: " in the parameter list",
  typeReference: " in the type",
  importDeclaration: " after 'import'",
  letStatement: " in the 'let'",
  assignStatement: " in the assignment",
  forStatement: " in the 'for' loop",
  ifStatement: " in the 'if'",
  chain: " in the chain",
  argument: " in the argument",
  callOrName: " in the argument list",
  subscript: " in the index",
  branchesExpression: " in 'branches'",
  residualExpression: " in 'residual'",
};

export function ruleSuffix(rule: string): string {
  return ruleNames[rule] ?? "";
}
