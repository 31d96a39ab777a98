import { describe, expect, it } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { elaborate, packageRoot, type Host } from "../../../compiler/elaborate/index.js";
import { resolveImport } from "../../../compiler/elaborate/modules.js";
import { renderDiagnostics } from "../../../diagnostics/render.js";
import { fixtureCases, repoRoot } from "./fixtures.js";

/** An in-memory host that counts reads, to check each file is parsed once. */
function memoryHost(files: Record<string, string>, stdlibDir = "/lib/figs"): Host & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    stdlibDir,
    readFile(path) {
      reads.push(path);
      const text = files[path];
      if (text === undefined) return { ok: false, text: "", diagnostics: [] };
      return { ok: true, text, diagnostics: [] };
    },
  };
}

const codes = (result: ReturnType<typeof elaborate>) => result.diagnostics.map((d) => d.code);

describe("elaborate", () => {
  it("reads through the injected host, resolving user and stdlib imports, each file once", () => {
    const host = memoryHost({
      "/p/main.figs": 'import "a.figs"\nimport "sub/b.figs"\nspace s() { input(4, 4, 1) -> ua -> ub -> lib_op }',
      "/p/a.figs": 'import "stdlib/x.figs"\nop ua() { conv(1, 2) }',
      "/p/sub/b.figs": 'import "../a.figs"\nimport "stdlib/x.figs"\nop ub() { relu }',
      "/lib/figs/x.figs": "op lib_op() { bn }",
    });
    const result = elaborate({ path: "/p/main.figs" }, host);
    expect(result.diagnostics).toEqual([]);
    expect(result.graph?.nodes.map((n) => n.name)).toEqual(["input_0", "ua_0.conv_0", "ub_0.relu_0", "lib_op_0.bn_0"]);
    expect([...host.reads].sort()).toEqual(["/lib/figs/x.figs", "/p/a.figs", "/p/main.figs", "/p/sub/b.figs"]);
    expect([...result.sources.keys()].sort()).toEqual([...host.reads].sort());
  });

  it("uses request.text for the root file instead of reading it", () => {
    const host = memoryHost({});
    const result = elaborate({ path: "mem.figs", text: "space s() { input(2, 2, 1) }" }, host);
    expect(host.reads).toEqual([]);
    expect(result.graph?.nodes).toHaveLength(1);
  });

  it("returns parse errors as diagnostics, without a graph", () => {
    const result = elaborate({ path: "bad.figs", text: "space s( { input(2, 2, 1) }" }, memoryHost({}));
    expect(result.graph).toBeUndefined();
    expect(codes(result)[0]).toMatch(/^FIGS1/);
    expect(result.sources.get("bad.figs")?.text).toContain("space s(");
  });

  it("reports a missing root file", () => {
    const result = elaborate({ path: join(repoRoot, "test/fixtures/nope.figs") });
    expect(codes(result)).toEqual(["FIGS9001"]);
  });

  it("picks the requested space among several, and lists them otherwise", () => {
    const text = "space a() { input(2, 2, 1) }\nspace b() { input(3, 3, 1) }";
    expect(elaborate({ path: "m.figs", text, space: "b" }, memoryHost({})).graph?.space).toBe("b");
    const ambiguous = elaborate({ path: "m.figs", text }, memoryHost({}));
    expect(codes(ambiguous)).toEqual(["FIGS2006"]);
    expect(ambiguous.diagnostics[0]!.message).toContain("(a, b)");
  });

  it("parses --set values as expressions, with top-level constants in scope", () => {
    const text = "let BASE = 8\nspace s(w: int = 1, r: float = 0.5) { input(2, 2, 1) -> conv(1, w) -> dropout(r) }";
    const result = elaborate({ path: "m.figs", text, set: { w: "BASE * 2", r: "0" } }, memoryHost({}));
    expect(result.graph?.parameters).toEqual({ w: 16, r: 0 });
    const broken = elaborate({ path: "m.figs", text, set: { w: "3 +" } }, memoryHost({}));
    expect(broken.diagnostics[0]?.range?.file).toBe("<--set w>");
    expect(renderDiagnostics(broken.diagnostics, (p) => broken.sources.get(p))).toContain("let w = 3 +");
  });

  it("builds a topologically ordered graph with unique names and hierarchy scopes", () => {
    const graph = elaborate({ path: join(repoRoot, "spaces/resnet152.figs") }).graph!;
    graph.nodes.forEach((node, index) => {
      expect(node.id).toBe(index);
      for (const input of node.inputs) expect(input).toBeLessThan(index);
    });
    expect(new Set(graph.nodes.map((n) => n.name)).size).toBe(graph.nodes.length);
    const deep = graph.nodes.find((n) => n.name === "layer3.bottleneck_35.bottleneck_path_0.conv_bn_relu_1.conv_0")!;
    expect(deep.scopes.map((s) => `${s.kind}:${s.name}:${s.definition}`)).toEqual([
      "space:resnet152:resnet152",
      "cell:layer3:bottleneck_stage",
      "block:bottleneck_35:bottleneck",
      "op:bottleneck_path_0:bottleneck_path",
      "op:conv_bn_relu_1:conv_bn_relu",
    ]);
    expect(deep.shape).toEqual({ height: 14, width: 14, channels: 256 });
  });

  it("stops at the limits with diagnostics instead of running away", () => {
    const loop = "space s() { input(2, 2, 1)\n for i in 0..1000 { for j in 0..1000 { let x = i * j } } }";
    expect(codes(elaborate({ path: "m.figs", text: loop, limits: { maxSteps: 10_000 } }, memoryHost({})))).toEqual([
      "FIGS4003",
    ]);
    const range = "space s() { input(2, 2, 1)\n for i in 0..10_000_000 { relu } }";
    expect(codes(elaborate({ path: "m.figs", text: range }, memoryHost({})))).toEqual(["FIGS4004"]);
    const fork = "op f() { branches { f; f } aggregate sum }\nspace s() { input(2, 2, 1) -> f }";
    expect(codes(elaborate({ path: "m.figs", text: fork, limits: { maxDepth: 20 } }, memoryHost({})))).toEqual([
      "FIGS4002",
    ]);
  });

  it("allows recursion 256 definitions deep, not 257", () => {
    const tower = (n: number) =>
      `op r(n: int) {\n if n > 1 { relu -> r(n - 1) } else { relu }\n}\nspace s() { input(2, 2, 1) -> r(${n}) }`;
    expect(elaborate({ path: "m.figs", text: tower(256) }, memoryHost({})).graph?.nodes).toHaveLength(257);
    expect(codes(elaborate({ path: "m.figs", text: tower(257) }, memoryHost({})))).toEqual(["FIGS4002"]);
  });

  it("turns a recursion that exhausts the JavaScript stack into a diagnostic", () => {
    const nested =
      "op r(n: int) {\n" +
      " if n >= 0 { for i in [1] { branches { residual { (conv(1, in) -> (bn -> [r(n + 1)][0])) } } " +
      "aggregate sum } }\n" +
      "}\nspace s() { input(2, 2, 1) -> r(0) }";
    const result = elaborate({ path: "m.figs", text: nested }, memoryHost({}));
    expect(codes(result)).toEqual(["FIGS4002"]);
  });

  it("elaborates a generated space of 20,000 ops", () => {
    const text =
      "op unit() { conv(1, 4) -> bn -> relu -> dwconv(3) }\nspace s() { input(4, 4, 1)\n for i in 0..5000 { unit } }";
    expect(elaborate({ path: "m.figs", text }, memoryHost({})).graph?.nodes).toHaveLength(20_001);
  });

  it("never fails internally when the numbers of valid programs are mutated", () => {
    for (const set of ["elaborate", "semantic"]) {
      for (const name of fixtureCases(set)) {
        const original = readFileSync(join(repoRoot, "test/fixtures", set, name, "input.figs"), "utf8");
        for (const replacement of ["0", "-1", "1", "2147483647", "0.5"]) {
          const text = original.replace(/\b\d+\b/g, (digits, offset: number) =>
            offset % 3 === 0 ? replacement : digits,
          );
          const host = { readFile: () => ({ ok: false, text: "", diagnostics: [] }), stdlibDir: "stdlib" };
          const result = elaborate({ path: "mutated.figs", text }, host);
          expect(codes(result)).not.toContain("FIGS9999");
        }
      }
    }
  });
});

describe("import paths", () => {
  it("are relative to the importing file; stdlib/ comes from the stdlib folder", () => {
    expect(resolveImport("spaces/a.figs", "blocks/b.figs", "/pkg/stdlib")).toBe("spaces/blocks/b.figs");
    expect(resolveImport("spaces/a.figs", "../c.figs", "/pkg/stdlib")).toBe("c.figs");
    expect(resolveImport("/x/spaces/a.figs", "stdlib/mobile.figs", "/pkg/stdlib")).toBe("/pkg/stdlib/mobile.figs");
  });

  it("the default host finds the package's stdlib folder", () => {
    expect(existsSync(join(packageRoot(), "package.json"))).toBe(true);
    expect(existsSync(join(packageRoot(), "stdlib", "mobile.figs"))).toBe(true);
  });
});
