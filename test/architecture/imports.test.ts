/**
 * The layers import in one direction (diagnostics → grammar → compiler →
 * runtime → cli), code outside compiler/ reaches the compiler only through
 * its façade, the runtime never reaches the parser, the compiler never
 * reaches tfjs, and commands never import each other (docs/architecture.md,
 * "Import rules").
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { brokenRule, importsOf, LAYERS, violations, type Import, type Violation } from "./import-rules.js";

const root = join(import.meta.dirname, "..", "..");

function tsFilesBelow(folder: string): string[] {
  return readdirSync(join(root, folder), { withFileTypes: true }).flatMap((entry) => {
    const path = `${folder}/${entry.name}`;
    if (entry.isDirectory()) return tsFilesBelow(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

const imports: Import[] = LAYERS.flatMap(tsFilesBelow).flatMap((path) =>
  importsOf(path, readFileSync(join(root, path), "utf8")),
);
const shown = (found: readonly Violation[]) => found.map((v) => `${v.from}: "${v.specifier}": ${v.rule}`);

describe("import rules on the tree", () => {
  it("finds the imports of every layer", () => {
    for (const layer of LAYERS)
      expect(
        imports.some((i) => i.from.startsWith(`${layer}/`)),
        layer,
      ).toBe(true);
    expect(imports.length).toBeGreaterThan(500);
  });

  it("no file breaks a rule, apart from the files listed as not yet moved", () => {
    expect(shown(violations(imports))).toEqual([]);
  });
});

describe("import rules", () => {
  const rule = (from: string, specifier: string) => brokenRule(from, specifier);

  it("outside compiler/, the compiler is imported through its façade only", () => {
    expect(rule("runtime/cost/expected-cost.ts", "../../compiler/index.js")).toBeUndefined();
    expect(rule("cli/commands/cost.ts", "../../compiler/cost/model.js")).toMatch(/façade/);
    expect(rule("cli/main.ts", "../compiler/graph.js")).toMatch(/façade/);
    expect(rule("runtime/emit/layers.ts", "../../compiler/ops/index.js")).toMatch(/façade/);
    expect(rule("compiler/cost/model.ts", "../ir/types.js")).toBeUndefined();
  });

  it("the runtime never imports grammar/; the compiler never imports tfjs, runtime/ or cli/", () => {
    expect(rule("runtime/search/run.ts", "../../grammar/parse.js")).toMatch(/runtime never imports grammar/);
    expect(rule("compiler/ir/io.ts", "@tensorflow/tfjs")).toMatch(/tfjs/);
    expect(rule("compiler/ir/io.ts", "@tensorflow/tfjs-core/dist/ops")).toMatch(/tfjs/);
    expect(rule("compiler/ir/io.ts", "../../runtime/emit/index.js")).toMatch(/compiler\/ never imports runtime/);
    expect(rule("compiler/index.ts", "../cli/main.js")).toMatch(/compiler\/ never imports cli/);
    expect(rule("runtime/emit/layers.ts", "@tensorflow/tfjs")).toBeUndefined();
    expect(rule("cli/commands/fmt.ts", "../../grammar/prettier/options.js")).toBeUndefined();
  });

  it("grammar/ imports only diagnostics/; diagnostics/ imports none of the others", () => {
    expect(rule("grammar/parse.ts", "../diagnostics/diagnostic.js")).toBeUndefined();
    expect(rule("grammar/parse.ts", "../compiler/index.js")).toMatch(/grammar\/ never imports compiler/);
    expect(rule("grammar/parse.ts", "../runtime/folders/index.js")).toMatch(/grammar\/ never imports runtime/);
    expect(rule("diagnostics/render.ts", "../grammar/ast.js")).toMatch(/diagnostics\/ never imports grammar/);
    expect(rule("diagnostics/render.ts", "../cli/report.js")).toMatch(/diagnostics\/ never imports cli/);
  });

  it("a command never imports another command, except the registry and the shared summaries", () => {
    expect(rule("cli/commands/scale.ts", "./sample.js")).toMatch(/never imports another command/);
    expect(rule("cli/commands/cost.ts", "./compile.js")).toMatch(/never imports another command/);
    expect(rule("cli/commands/cost.ts", "../compile-args.js")).toBeUndefined();
    expect(rule("cli/commands/scale.ts", "./summaries.js")).toBeUndefined();
    expect(rule("cli/commands/index.ts", "./sample.js")).toBeUndefined();
    expect(rule("cli/main.ts", "./commands/index.js")).toBeUndefined();
  });

  it("finds imports, re-exports and dynamic imports, not import-like text in strings or comments", () => {
    const text = [
      'import type { A } from "./a.js";',
      'export { b } from "./b.js";',
      'const c = await import("./c.js");',
      'const message = `cannot import "${name}"`;',
      '// import { d } from "./d.js";',
    ].join("\n");
    expect(importsOf("cli/x.ts", text).map((i) => i.specifier)).toEqual(["./a.js", "./b.js", "./c.js"]);
  });
});
