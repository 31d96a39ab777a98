/**
 * grammar/cst-types.ts is generated from the grammar; the AST builder's
 * visitor type is checked against it, so it must be current. Regenerate
 * with `npx tsx scripts/gen-cst.ts`.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { CST_TYPES_FILE, generateCstTypes } from "../../grammar/cst-dts.js";
import { REPO_ROOT } from "./fixtures.js";

describe("generated CST typings", () => {
  it("match the grammar (run `npx tsx scripts/gen-cst.ts` if this fails)", () => {
    const committed = readFileSync(path.join(REPO_ROOT, CST_TYPES_FILE), "utf8");
    expect(committed).toBe(generateCstTypes());
  });

  it("declare a visitor method for every grammar rule", () => {
    const generated = generateCstTypes();
    for (const rule of ["program", "definition", "expression", "operand", "ifStatement", "branchesExpression"]) {
      expect(generated).toContain(`${rule}(children: `);
    }
  });
});
