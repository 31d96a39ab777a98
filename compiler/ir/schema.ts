/**
 * JSON Schema (draft-07) of the IR, checked with ajv whenever an IR is written
 * or read. Attributes are checked per op from the schemas in its spec (compiler/ops/).
 */
import { OP_KINDS, type OpKind } from "../graph.js";
import { attributesOf } from "../ops/index.js";
import { IR_FORMAT, IR_VERSION } from "./types.js";

const count = { type: "integer", minimum: 0 } as const;
const positive = { type: "integer", minimum: 1 } as const;
const empty = { type: "object", additionalProperties: false } as const;

function object(properties: Record<string, object>, required = Object.keys(properties)): object {
  return { type: "object", properties, required, additionalProperties: false };
}

/** An op's attrs: every attribute of its spec, with the schema of its kind, required. */
function attrsSchema(op: OpKind): object {
  const attributes = attributesOf(op);
  if (attributes.length === 0) return empty;
  return object(Object.fromEntries(attributes.map(([key, attr]) => [key, attr.type.schema])));
}

const position = object({ line: positive, column: positive, offset: count });
const range = object({ file: { type: "string" }, start: position, end: position });
const scope = object({
  kind: { enum: ["space", "cell", "block", "op"] },
  name: { type: "string" },
  definition: { type: "string" },
});
const gateList = { type: "array", items: count, minItems: 1 } as const;
const slice = object({ group: count, size: positive, repeat: positive, gates: gateList }, ["group", "size", "repeat"]);
const producer = object({ node: count, start: count, end: positive });
const polynomial = object({
  constant: { type: "number" },
  linear: { type: "array", items: { type: "array", items: [count, { type: "number" }], minItems: 2, maxItems: 2 } },
  bilinear: {
    type: "array",
    items: { type: "array", items: [count, count, { type: "number" }], minItems: 3, maxItems: 3 },
  },
});
const totals = object({ params: { type: "number" }, madds: { type: "number" }, flops: { type: "number" } });

/** `discriminator` dispatches on `op` in one step instead of trying one `if` per op kind for every node. */
const node = {
  ...object({
    id: count,
    op: { type: "string" },
    name: { type: "string" },
    attrs: { type: "object" },
    inputs: { type: "array", items: count },
    shape: object({ height: positive, width: positive, channels: positive }),
    fixed: { type: "boolean" },
    layout: { type: "array", items: slice },
    range,
    scopes: { type: "array", items: scope, minItems: 1 },
  }),
  discriminator: { propertyName: "op" },
  oneOf: OP_KINDS.map((op) => ({ properties: { op: { const: op }, attrs: attrsSchema(op) } })),
};

const group = object(
  {
    id: count,
    name: { type: "string" },
    size: positive,
    searchable: { type: "boolean" },
    offset: { type: "integer", minimum: -1 },
    producers: { type: "array", items: producer },
    gate: count,
  },
  ["id", "name", "size", "searchable", "offset", "producers"],
);

export const IR_SCHEMA = {
  $schema: "http://json-schema.org/draft-07/schema#",
  $id: "https://figs.dev/schema/ir-1.json",
  title: "figs IR",
  ...object(
    {
      format: { const: IR_FORMAT },
      version: { const: IR_VERSION },
      space: { type: "string", minLength: 1 },
      parameters: { type: "object" },
      sources: {
        type: "array",
        items: object({ path: { type: "string" }, sha256: { type: "string", pattern: "^[0-9a-f]{64}$" } }),
      },
      output: count,
      maskVariables: count,
      nodes: { type: "array", items: node, minItems: 1 },
      groups: { type: "array", items: group },
      gated: { type: "array", items: object({ group: count, gates: gateList }) },
      costs: object(
        {
          convention: { enum: ["torch", "keras"] },
          convBias: { const: true },
          params: polynomial,
          madds: polynomial,
          full: totals,
        },
        ["convention", "params", "madds", "full"],
      ),
    },
    ["format", "version", "space", "parameters", "sources", "output", "maskVariables", "nodes", "groups", "costs"],
  ),
} as const;
