/**
 * What the type checker forces (checked by `tsc --noEmit`, which `npm test`
 * runs): an op spec names every attribute of its op with a kind (schema,
 * reading, printing), and the compiler's and the runtime's tables have an
 * entry for every op (compiler/graph.ts checks OP_KINDS itself). Each
 * `@ts-expect-error` fails the typecheck if the error it expects goes away.
 */
import { describe, expect, it } from "vitest";
import { FLAG, PAIR, PADDING, POSITIVE, optional, required } from "../../../compiler/ops/attributes.js";
import { OP_SPECS } from "../../../compiler/ops/index.js";
import type { AttributeSpecs, OpSpecs } from "../../../compiler/ops/types.js";
import type { RuntimeOps } from "../../../runtime/ops/types.js";

const window = { kernel: required(PAIR, "k"), stride: optional(PAIR, [1, 1]), padding: optional(PADDING, "same") };

describe("the type checker", () => {
  it("wants every attribute of an op in its spec, each with a kind of the attribute's type", () => {
    const complete: AttributeSpecs<"conv"> = {
      ...window,
      width: required(POSITIVE),
      groups: optional(POSITIVE, 1),
      bias: optional(FLAG, false),
      dilation: optional(PAIR, [1, 1]),
    };
    // @ts-expect-error `bias` has no spec: no schema, no reader, no printer.
    const missing: AttributeSpecs<"conv"> = {
      ...window,
      width: required(POSITIVE),
      groups: optional(POSITIVE, 1),
      dilation: optional(PAIR, [1, 1]),
    };
    // @ts-expect-error `bias` is a boolean, not a positive int.
    const wrongKind: AttributeSpecs<"dense"> = { width: required(POSITIVE), bias: optional(POSITIVE, 1) };
    expect([complete, missing, wrongKind].every((specs) => typeof specs === "object")).toBe(true);
  });

  it("wants an entry for every op in the compiler's and the runtime's tables", () => {
    const { hardswish: _dropped, ...rest } = OP_SPECS;
    // @ts-expect-error hardswish has no spec.
    const specs: OpSpecs = rest;
    type Entries = { [K in keyof RuntimeOps]?: RuntimeOps[K] };
    // @ts-expect-error a runtime table with entries missing.
    const runtime: RuntimeOps = {} as Entries;
    expect(Object.keys(specs)).not.toContain("hardswish");
    expect(runtime).toEqual({});
  });
});
