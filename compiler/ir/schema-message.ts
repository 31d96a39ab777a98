/**
 * One ajv schema error in the user's words, with what the schema expected:
 * ajv's own messages leave the values out ("must be equal to constant",
 * "must be equal to one of the allowed values"), and a reader of
 * `x.ir.json is not a figs IR: /format must be equal to constant` cannot tell
 * what to write. Shared by every persisted format checked with ajv (the IR,
 * arch.json).
 */
import type { ErrorObject } from "ajv";

/** `where`: how the document itself is named when the error is at its top ("the document", "the top level"). */
export function describeSchemaError(e: ErrorObject, where = "the document"): string {
  const at = e.instancePath === "" ? where : e.instancePath;
  return `${at} ${e.message ?? "is invalid"}${expected(e)}`;
}

/** What the failed keyword asked for, when ajv's message does not already say it. */
function expected(e: ErrorObject): string {
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "const":
      return ` ${JSON.stringify(params["allowedValue"])}`;
    case "enum":
      return `: ${(params["allowedValues"] as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
    case "additionalProperties":
      return ` '${String(params["additionalProperty"])}'`;
    case "propertyNames":
      return ` ('${String(params["propertyName"])}')`;
    case "discriminator":
      return params["tag"] !== undefined
        ? ` ('${String(params["tag"])}' is ${JSON.stringify(params["tagValue"])})`
        : "";
    default:
      return "";
  }
}
