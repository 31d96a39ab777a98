import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { compile } from "../../../compiler/index.js";
import { CostModel } from "../../../compiler/cost/index.js";
import { parseIr, serializeIr } from "../../../compiler/ir/index.js";
import { countGraph, producerWidths, seededRandom } from "../cost/independent-count.js";
import { PUBLISHED } from "../cost/reference-nets.js";

const root = join(import.meta.dirname, "..", "..", "..");

function figsFiles(folder: string): string[] {
  const dir = join(root, folder);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".figs"))
    .map((f) => relative(root, join(dir, f)))
    .sort();
}

const corpus = [...figsFiles("spaces"), ...figsFiles("examples"), ...figsFiles("stdlib")];

describe("published spaces at full width", () => {
  for (const [name, counts] of Object.entries(PUBLISHED)) {
    it(`spaces/${name}.figs: ${counts.params.toLocaleString("en-US")} params, ${counts.madds.toLocaleString("en-US")} madds`, () => {
      const result = compile({ path: join(root, "spaces", `${name}.figs`) });
      expect(result.diagnostics).toEqual([]);
      const { params, madds } = result.ir?.costs.full ?? {};
      expect({ params, madds }).toEqual(counts);
    });
  }
});

describe("every .figs that compiles: polynomial = independent count", () => {
  const compiled = corpus.map((path) => ({ path, result: compile({ path: join(root, path) }) })).filter((c) => c.result.stages);

  it("compiles the examples at least", () => {
    expect(compiled.map((c) => c.path)).toEqual(expect.arrayContaining(figsFiles("examples")));
    expect(figsFiles("examples").length).toBeGreaterThan(0);
  });

  for (const { path, result } of compiled) {
    it(`${path}: full width and 3 random integer widths; its IR passes the schema`, () => {
      expect(serializeIr(result.ir!).diagnostics).toEqual([]);
      const { graph, plan, cost } = result.stages!;
      const model = new CostModel(plan.groups, cost);
      const full = model.fullWidth();
      expect({ params: full.params, madds: full.madds }).toEqual(countGraph(graph));
      const random = seededRandom(path.length);
      for (let trial = 0; trial < 3; trial++) {
        const widths = plan.groups.map((g) => (g.searchable ? 1 + Math.floor(random() * g.size) : g.size));
        const at = model.atWidths(widths);
        expect({ params: at.params, madds: at.madds }).toEqual(countGraph(graph, "torch", producerWidths(plan, widths)));
      }
    });
  }
});

describe("expected cost of a compiled space", () => {
  it("examples/resnet_bottleneck.figs: the mean of 10,000 sampled masks is within 0.5% of E[cost]", () => {
    const { plan, cost } = compile({ path: join(root, "examples", "resnet_bottleneck.figs") }).stages!;
    const model = new CostModel(plan.groups, cost);
    expect(plan.groups.some((g) => g.producers.length > 1)).toBe(true);
    const random = seededRandom(11);
    const pi = Float64Array.from({ length: model.pi.length }, () => 0.05 + 0.9 * random());
    const widths = new Float64Array(plan.groups.length);
    const mean = { params: 0, madds: 0 };
    const samples = 10_000;
    for (let s = 0; s < samples; s++) {
      for (const group of plan.groups) {
        const offset = model.pi.offsets[group.id]!;
        let alive = 0;
        for (let i = offset; offset >= 0 && i < offset + group.size; i++) alive += random() < pi[i]! ? 1 : 0;
        widths[group.id] = offset >= 0 ? alive : group.size;
      }
      const at = model.atWidths(widths);
      mean.params += at.params / samples;
      mean.madds += at.madds / samples;
    }
    const expected = model.expected(pi);
    expect(Math.abs(mean.params / expected.params - 1)).toBeLessThan(0.005);
    expect(Math.abs(mean.madds / expected.madds - 1)).toBeLessThan(0.005);
  });
});

describe("compile", () => {
  it("returns an IR that passes its schema and round-trips", () => {
    const result = compile({ path: join(root, "examples", "one_shot_cell.figs") });
    const text = serializeIr(result.ir!).text!;
    expect(parseIr(text, "x.json").ir).toEqual(JSON.parse(text));
    expect(result.ir!.sources.map((s) => s.path)).toEqual([join(root, "examples", "one_shot_cell.figs")]);
  });

  it("compiles text with --set overrides and the keras convention", () => {
    const text = "space s(w: int = 8) {\n  input(4, 4, 3)\n  conv(3, w) -> bn -> relu -> global_avgpool -> dense(2) fixed\n}\n";
    const torch = compile({ path: "s.figs", text, set: { w: "5" } });
    expect(torch.diagnostics).toEqual([]);
    expect(torch.ir?.parameters).toEqual({ w: 5 });
    expect(torch.ir?.costs.full.params).toBe(27 * 5 + 2 * 5 + 5 * 2 + 2);
    const keras = compile({ path: "s.figs", text, set: { w: "5" } }, { convention: "keras" });
    expect(keras.ir?.costs.full.params).toBe(27 * 5 + 4 * 5 + 5 * 2 + 2);
  });

  it("stops at the first stage with errors, with diagnostics instead of exceptions", () => {
    const bad = compile({ path: "bad.figs", text: "space s() {\n  input(4, 4, 3)\n  conv(3, 8) -> \n}\n" });
    expect(bad.ir).toBeUndefined();
    expect(bad.diagnostics.length).toBeGreaterThan(0);
    const missing = compile({ path: join(root, "no-such-file.figs") });
    expect(missing.ir).toBeUndefined();
    expect(missing.diagnostics.map((d) => d.severity)).toContain("error");
  });

  it("reports the mask diagnostics of an add of differently replicated channels", () => {
    const text = "space s() {\n  input(4, 4, 3)\n  conv(1, 4)\n  branches {\n    dwconv(3, multiplier: 2)\n    conv(1, 8)\n  } aggregate sum\n}\n";
    const result = compile({ path: "s.figs", text });
    expect(result.diagnostics.map((d) => d.code)).toEqual(["FIGS3501"]);
  });
});

describe("layering", () => {
  it("the compiler never imports tfjs", () => {
    const dir = join(root, "compiler");
    const files = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
    expect(files.length).toBeGreaterThan(10);
    const offenders = files.filter((f) => {
      const text = readFileSync(join(dir, f), "utf8");
      return /(?:from|import)\s*\(?\s*["'][^"']*(?:tensorflow|tfjs|runtime\/)[^"']*["']/.test(text);
    });
    expect(offenders).toEqual([]);
  });
});
