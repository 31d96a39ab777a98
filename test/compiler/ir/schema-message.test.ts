/**
 * Schema errors say what the schema expected: ajv's "must be equal to
 * constant" alone does not tell the reader what to write.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv, type ErrorObject } from "ajv";
import { describe, expect, it } from "vitest";
import { describeSchemaError } from "../../../compiler/ir/schema-message.js";
import { parseArch } from "../../../runtime/export/arch-json.js";

function firstError(schema: object, value: unknown): ErrorObject {
  const validate = new Ajv({ strict: true }).compile(schema);
  expect(validate(value)).toBe(false);
  return validate.errors![0]!;
}

describe("describeSchemaError", () => {
  it("names a constant's value", () => {
    const e = firstError({ type: "object", properties: { format: { const: "figs-ir" } } }, { format: "x" });
    expect(describeSchemaError(e)).toBe('/format must be equal to constant "figs-ir"');
  });

  it("lists an enum's values", () => {
    const e = firstError({ enum: ["torch", "keras"] }, "tf");
    expect(describeSchemaError(e)).toBe('the document must be equal to one of the allowed values: "torch", "keras"');
  });

  it("names an extra property, and keeps ajv's words where they already say it", () => {
    const extra = firstError({ type: "object", additionalProperties: false }, { x: 1 });
    expect(describeSchemaError(extra, "the top level")).toBe("the top level must NOT have additional properties 'x'");
    expect(describeSchemaError(firstError({ type: "integer", minimum: 1 }, 0))).toBe("the document must be >= 1");
  });

  it("is what arch.json reports", () => {
    const golden = JSON.parse(
      readFileSync(join(import.meta.dirname, "../../runtime/export/fixtures/golden/arch.json"), "utf8"),
    ) as Record<string, unknown>;
    expect(parseArch(JSON.stringify(golden), "arch.json").diagnostics).toEqual([]);
    const read = parseArch(JSON.stringify({ ...golden, format: "figs-ir" }), "arch.json");
    expect(read.diagnostics[0]?.message).toBe(
      'arch.json is not an arch.json figs can read: /format must be equal to constant "figs-arch"',
    );
  });
});
