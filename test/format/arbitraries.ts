/**
 * fast-check generators of figs ASTs (expressions inside a `let`), built
 * without parentheses so the printer has to add exactly those the grammar needs.
 */
import fc from "fast-check";
import type * as A from "../../grammar/ast.js";
import { keywords } from "../../grammar/tokens.js";

const range: A.NodeBase["range"] = {
  file: "<generated>",
  start: { offset: 0, line: 1, column: 1 },
  end: { offset: 0, line: 1, column: 1 },
};
const reserved = new Set(keywords.map((token) => token.name.toLowerCase()));

const identifierText = fc.stringMatching(/^[a-z_][a-z0-9_]{0,6}$/).filter((name) => !reserved.has(name));
const identifier = identifierText.map((name): A.Identifier => ({ kind: "Identifier", name, range }));

const numberText = fc.constantFrom("0", "1", "42", "1_000", "1.5", "0.25", "1e-3", "2E+4", "007");
const number = numberText.map((text): A.Expression => ({
  kind: "Number",
  value: Number(text.replace(/_/g, "")),
  text,
  isInteger: !/[.eE]/.test(text),
  range,
}));
/** Any text but CR and the Unicode line separators, which no .figs string can hold. */
const stringValue = fc.string({
  maxLength: 8,
  unit: fc.constantFrom("a", "Z", " ", '"', "\\", "\n", "\t", "é", "#", "/*", "q"),
});

const leaf: fc.Arbitrary<A.Expression> = fc.oneof(
  number,
  stringValue.map((value): A.Expression => ({ kind: "String", value, range })),
  fc.boolean().map((value): A.Expression => ({ kind: "Boolean", value, range })),
  identifierText.map((name): A.Expression => ({ kind: "Name", name, range })),
  fc.constant<A.Expression>({ kind: "In", range }),
);

const binaryOperators: A.BinaryOperator[] = [
  "or",
  "and",
  "==",
  "!=",
  "<",
  "<=",
  ">",
  ">=",
  "+",
  "-",
  "*",
  "/",
  "//",
  "%",
  "**",
];
const unaryOperators: A.UnaryOperator[] = ["-", "+", "not"];

function chainOf(expression: fc.Arbitrary<A.Expression>): fc.Arbitrary<A.Chain> {
  const step = fc
    .record({ expression, fixed: fc.boolean(), label: fc.option(identifier, { nil: undefined }) })
    .map(({ expression: e, fixed, label }): A.ChainStep => ({
      kind: "ChainStep",
      expression: e,
      fixed,
      ...(label && { label }),
      range,
    }));
  return fc.array(step, { minLength: 1, maxLength: 3 }).map((steps): A.Chain => ({ kind: "Chain", steps, range }));
}

function bodyOf(expression: fc.Arbitrary<A.Expression>): fc.Arbitrary<A.Body> {
  const statement = chainOf(expression).map((chain): A.Statement => ({ kind: "ChainStatement", chain, range }));
  return fc.array(statement, { maxLength: 2 }).map((statements): A.Body => ({ kind: "Body", statements, range }));
}

export const expressionArbitrary: fc.Arbitrary<A.Expression> = fc.letrec<{ expression: A.Expression }>((tie) => {
  const e = tie("expression");
  return {
    expression: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      leaf,
      fc
        .record({ operator: fc.constantFrom(...unaryOperators), operand: e })
        .map((u): A.Expression => ({ kind: "Unary", ...u, range })),
      fc
        .record({ operator: fc.constantFrom(...binaryOperators), left: e, right: e })
        .map((b): A.Expression => ({ kind: "Binary", ...b, range })),
      fc.record({ start: e, end: e }).map((r): A.Expression => ({ kind: "Range", ...r, range })),
      fc.record({ target: e, index: e }).map((i): A.Expression => ({ kind: "Index", ...i, range })),
      fc
        .record({
          target: e,
          start: fc.option(e, { nil: undefined }),
          end: fc.option(e, { nil: undefined }),
          step: fc.option(e, { nil: undefined }),
        })
        .map(({ target, start, end, step }): A.Expression => ({
          kind: "Slice",
          target,
          ...(start && { start }),
          ...(end && { end }),
          ...(step && { step }),
          range,
        })),
      fc.array(e, { maxLength: 3 }).map((elements): A.Expression => ({ kind: "List", elements, range })),
      fc.record({ callee: identifier, args: argumentsOf(e) }).map((c): A.Expression => ({ kind: "Call", ...c, range })),
      fc.record({ body: bodyOf(e), aggregator: e }).map((b): A.Expression => ({ kind: "Branches", ...b, range })),
      fc
        .record({ body: bodyOf(e), shortcut: fc.option(bodyOf(e), { nil: undefined }) })
        .map(({ body, shortcut }): A.Expression => ({ kind: "Residual", body, ...(shortcut && { shortcut }), range })),
    ),
  };
}).expression;

/** Every kind of statement, in bodies of bounded depth. */
const statementArbitrary: fc.Arbitrary<A.Statement> = fc.letrec<{ statement: A.Statement; body: A.Body }>((tie) => {
  const body = tie("body");
  const chain = chainOf(leafOrSmall());
  return {
    body: fc
      .array(tie("statement"), { maxLength: 3 })
      .map((statements): A.Body => ({ kind: "Body", statements, range })),
    statement: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      chain.map((c): A.Statement => ({ kind: "ChainStatement", chain: c, range })),
      fc.record({ name: identifier, value: chain }).map((l): A.Statement => ({ kind: "Let", ...l, range })),
      fc.record({ name: identifier, value: chain }).map((a): A.Statement => ({ kind: "Assign", ...a, range })),
      fc
        .record({ variable: identifier, iterable: leafOrSmall(), body })
        .map((f): A.Statement => ({ kind: "For", ...f, range })),
      fc
        .record({ condition: leafOrSmall(), then: body, otherwise: fc.option(body, { nil: undefined }) })
        .map(({ condition, then, otherwise }): A.Statement => ({
          kind: "If",
          condition,
          then,
          ...(otherwise && { otherwise }),
          range,
        })),
    ),
  };
}).statement;

function leafOrSmall(): fc.Arbitrary<A.Expression> {
  return fc.oneof(
    leaf,
    leaf.map((operand): A.Expression => ({ kind: "Unary", operator: "-", operand, range })),
    expressionArbitrary,
  );
}

function argumentsOf(expression: fc.Arbitrary<A.Expression>): fc.Arbitrary<A.Argument[]> {
  const argument = fc.record({ name: fc.option(identifier, { nil: undefined }), value: chainOf(expression) });
  // Named arguments after positional ones, as the grammar requires.
  return fc.array(argument, { maxLength: 3 }).map((args) =>
    [...args.filter((a) => !a.name), ...args.filter((a) => a.name)].map((a): A.Argument => ({
      kind: "Argument",
      ...(a.name && { name: a.name }),
      value: a.value,
      range,
    })),
  );
}

const typeArbitrary: fc.Arbitrary<A.TypeRef> = fc.oneof(
  fc
    .constantFrom("int", "float", "agg")
    .map((name): A.TypeRef => ({ kind: "TypeRef", name: { kind: "Identifier", name, range }, range })),
  fc.constant<A.TypeRef>({
    kind: "TypeRef",
    name: { kind: "Identifier", name: "list", range },
    argument: { kind: "TypeRef", name: { kind: "Identifier", name: "int", range }, range },
    range,
  }),
);

const parameterArbitrary = fc.record({
  type: typeArbitrary,
  defaultValue: fc.option(leafOrSmall(), { nil: undefined }),
});

const definitionArbitrary: fc.Arbitrary<A.TopLevelItem> = fc
  .record({
    definitionKind: fc.constantFrom<A.DefinitionKind>("op", "block", "cell", "space"),
    name: identifier,
    // Parameter names must differ (the parser reports duplicates).
    names: fc.uniqueArray(identifierText, { maxLength: 3 }),
    params: fc.array(parameterArbitrary, { minLength: 3, maxLength: 3 }),
    statements: fc.array(statementArbitrary, { maxLength: 4 }),
  })
  .map(({ definitionKind, name, names, params, statements }): A.TopLevelItem => ({
    kind: "Definition",
    definitionKind,
    name,
    params: names.map((paramName, i): A.Parameter => {
      const { type, defaultValue } = params[i]!;
      return {
        kind: "Parameter",
        name: { kind: "Identifier", name: paramName, range },
        type,
        ...(defaultValue && { defaultValue }),
        range,
      };
    }),
    body: { kind: "Body", statements, range },
    range,
  }));

const letArbitrary = fc
  .record({ name: identifier, value: chainOf(expressionArbitrary) })
  .map(({ name, value }): A.TopLevelItem => ({ kind: "Let", name, value, range }));

/** A whole program: top-level lets and definitions holding every kind of statement. */
export const programArbitrary: fc.Arbitrary<A.Program> = fc
  .array(fc.oneof(letArbitrary, definitionArbitrary), { minLength: 1, maxLength: 3 })
  .map((items): A.Program => ({ kind: "Program", items, comments: [], range }));
