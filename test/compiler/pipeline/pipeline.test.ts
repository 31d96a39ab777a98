import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { compile, type CompileRequest, type CompileResult } from "../../../compiler/index.js";
import { costOfSpace, CostModel, type CostOptions } from "../../../compiler/cost/index.js";
import { parseIr, serializeIr } from "../../../compiler/ir/index.js";
import { renderDiagnostics } from "../../../diagnostics/render.js";
import { countGraph, producerWidths, seededRandom } from "../cost/independent-count.js";
import { PUBLISHED } from "../cost/reference-nets.js";

const root = join(import.meta.dirname, "..", "..", "..");

/** Every tracked .figs file; a walk of the tree (without node_modules, dist, .git) where git is not available. */
function repoFigsFiles(): string[] {
  let files: string[];
  try {
    files = execFileSync("git", ["ls-files", "-z", "--", "*.figs"], { cwd: root, encoding: "utf8" })
      .split("\0")
      .filter(Boolean);
  } catch {
    files = walk("");
  }
  return files.filter((f) => existsSync(join(root, f))).sort();
}

function walk(folder: string): string[] {
  return readdirSync(join(root, folder), { withFileTypes: true }).flatMap((entry) => {
    const path = folder ? `${folder}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return ["node_modules", "dist", ".git"].includes(entry.name) ? [] : walk(path);
    return entry.name.endsWith(".figs") ? [path] : [];
  });
}

/**
 * The .figs files that are not spaces to count, and why. `errors`: written to
 * fail, so compiling one must report an error. `fragments`: parser and
 * formatter goldens, checked by those tests, with names left free on purpose;
 * those that happen to compile are counted like any space. Every other file
 * must either compile or be a library (no space, no error).
 */
const NOT_SPACES: readonly { readonly prefix: string; readonly kind: "errors" | "fragments"; readonly why: string }[] =
  [
    { prefix: "test/fixtures/errors/", kind: "errors", why: "syntax error goldens" },
    {
      prefix: "test/fixtures/semantic/",
      kind: "errors",
      why: "semantic error goldens, compiled with their options.json",
    },
    { prefix: "test/cli/fixtures/two-errors.figs", kind: "errors", why: "the CLI's error report fixture" },
    { prefix: "test/fixtures/syntax/", kind: "fragments", why: "parser goldens" },
    { prefix: "test/fixtures/format/", kind: "fragments", why: "formatter goldens" },
  ];

/** A semantic golden's options.json (space, --set, lower limits), so it fails the way its golden says. */
function fixtureOptions(path: string): Partial<CompileRequest> {
  const options = join(root, dirname(path), "options.json");
  return path.endsWith("/input.figs") && existsSync(options)
    ? (JSON.parse(readFileSync(options, "utf8")) as Partial<CompileRequest>)
    : {};
}

function compileFile(path: string): CompileResult {
  return compile({ path: join(root, path), library: true, ...fixtureOptions(path) });
}

function renderedErrors(result: CompileResult): string {
  return renderDiagnostics(
    result.diagnostics.filter((d) => d.severity === "error"),
    (p) => result.sources.get(p),
  );
}

const CONVENTIONS: readonly CostOptions[] = [
  { convention: "torch" },
  { convention: "keras" },
  { convention: "torch", convBias: true },
  { convention: "keras", convBias: true },
];

const corpus = repoFigsFiles();
const exemptionOf = (path: string) => NOT_SPACES.find((e) => path.startsWith(e.prefix));

describe("published spaces at full width", () => {
  for (const [name, counts] of Object.entries(PUBLISHED)) {
    const title =
      `spaces/${name}.figs: ${counts.params.toLocaleString("en-US")} params, ` +
      `${counts.madds.toLocaleString("en-US")} madds`;
    it(title, () => {
      const result = compile({ path: join(root, "spaces", `${name}.figs`) });
      expect(result.diagnostics).toEqual([]);
      const { params, madds } = result.ir?.costs.full ?? {};
      expect({ params, madds }).toEqual(counts);
    });
  }

  it("spaces/resnet50.figs with conv-bias: params rise by exactly the sum of its conv output widths", () => {
    const result = compile({ path: join(root, "spaces", "resnet50.figs") }, { convBias: true });
    const convWidths = result.stages!.graph.nodes.reduce((sum, n) => sum + (n.op === "conv" ? n.attrs.width : 0), 0);
    expect(convWidths).toBe(26_560);
    expect(result.ir?.costs.full.params).toBe(PUBLISHED.resnet50.params + convWidths);
    expect(result.ir?.costs.full.madds).toBe(PUBLISHED.resnet50.madds);
  });
});

describe("every .figs in the repo: spaces compile, and their polynomial = an independent count", () => {
  it("finds the repo's .figs files, and every exemption still names some", () => {
    expect(corpus).toEqual(
      expect.arrayContaining([
        "spaces/resnet50.figs",
        "spaces/mobilenet_v2.figs",
        "stdlib/resnet.figs",
        "examples/mbconv.figs",
      ]),
    );
    expect(corpus.some((f) => f.startsWith("node_modules/") || f.startsWith("dist/"))).toBe(false);
    for (const exemption of NOT_SPACES)
      expect(
        corpus.filter((f) => f.startsWith(exemption.prefix)),
        exemption.prefix,
      ).not.toEqual([]);
  });

  for (const exemption of NOT_SPACES.filter((e) => e.kind === "errors")) {
    it(`${exemption.prefix}: ${exemption.why}, each reports an error`, () => {
      const files = corpus.filter((f) => f.startsWith(exemption.prefix));
      const compiled = files.filter((f) => compileFile(f).ir !== undefined);
      expect(compiled, "these compile, but are meant to fail").toEqual([]);
    });
  }

  const spaces: string[] = [];
  for (const path of corpus) {
    const exemption = exemptionOf(path);
    if (exemption?.kind === "errors") continue;
    const result = compileFile(path);
    if (!result.ir && exemption) continue; // a fragment that does not elaborate, as its folder allows
    if (!result.ir) {
      it(`${path}: a library (no space) or a space that compiles`, () => {
        expect(renderedErrors(result), `${path} must compile, or be added to NOT_SPACES with a reason`).toBe("");
      });
      continue;
    }
    spaces.push(path);
    it(`${path}: every convention at full width, 3 random integer widths; its IR reads back`, () => {
      const { graph, plan } = result.stages!;
      for (const options of CONVENTIONS) {
        const full = new CostModel(plan.groups, costOfSpace(graph, plan, options)).fullWidth();
        expect({ params: full.params, madds: full.madds }, JSON.stringify(options)).toEqual(countGraph(graph, options));
      }
      const model = new CostModel(plan.groups, result.stages!.cost);
      const random = seededRandom(path.length);
      for (let trial = 0; trial < 3; trial++) {
        const widths = plan.groups.map((g) => (g.searchable ? 1 + Math.floor(random() * g.size) : g.size));
        const at = model.atWidths(widths);
        expect({ params: at.params, madds: at.madds }).toEqual(
          countGraph(graph, "torch", producerWidths(plan, widths)),
        );
      }
      const text = serializeIr(result.ir!).text ?? "";
      expect(parseIr(text, `${path}.ir.json`).diagnostics).toEqual([]);
    });
  }

  it("counted the spaces, examples and fixtures that must compile", () => {
    const mustCompile = corpus.filter((f) =>
      /^(spaces|examples)\/|^test\/fixtures\/(groups|elaborate)\/.*\/input\.figs$/.test(f),
    );
    expect(mustCompile.length).toBeGreaterThan(30);
    expect(spaces).toEqual(expect.arrayContaining(mustCompile));
  });
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
    const text =
      "space s(w: int = 8) {\n  input(4, 4, 3)\n  conv(3, w) -> bn -> relu -> global_avgpool -> dense(2) fixed\n}\n";
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
    const text =
      "space s() {\n  input(4, 4, 3)\n  conv(1, 4)\n  branches {\n" +
      "    dwconv(3, multiplier: 2)\n    conv(1, 8)\n  } aggregate sum\n}\n";
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
