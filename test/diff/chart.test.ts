import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compile, type Ir } from "../../compiler/index.js";
import { logDomain, logTicks } from "../../compiler/diff/chart-scales.js";
import { CHART_TITLE, chartSpec, renderDiffSvg } from "../../compiler/diff/chart.js";
import { DEFAULT_DIFF_OPTIONS, diffSpaces, type DiffSpace } from "../../compiler/diff/index.js";
import { xmlProblems } from "./xml.js";

const repoRoot = join(import.meta.dirname, "..", "..");

function space(file: string, set: Record<string, string>): DiffSpace {
  const result = compile({ path: join(repoRoot, file), set: { size: "32", classes: "10", ...set } });
  expect(result.diagnostics).toEqual([]);
  return { label: result.ir!.space, ir: result.ir as Ir };
}

const spaces = [space("spaces/fbnet.figs", { figs_variant: "true" }), space("spaces/resnet.figs", { depth: "18" })];
const { report, samples } = diffSpaces(spaces, { ...DEFAULT_DIFF_OPTIONS, samples: 400, seed: 11 });

interface Point {
  readonly space: string;
  readonly params: number;
  readonly madds: number;
  readonly kind: string;
}

/** The parts of the vega-lite spec the tests read. */
interface Spec {
  title: { text: string; subtitle: string[] };
  data: { values: Point[] };
  encoding: Record<
    string,
    { scale?: { domain: number[]; range?: unknown[]; type?: string }; axis?: { values?: number[] } }
  >;
}

const specOf = (points?: number) => chartSpec(report, samples, points) as unknown as Spec;

describe("the diff chart", () => {
  it("has a title of what it shows, and says how many samples it draws", () => {
    const all = specOf();
    expect(all.title.text).toBe(CHART_TITLE);
    expect(all.title.text).not.toMatch(/figs/i);
    expect(all.title.subtitle[0]).toBe("400 random sub-architectures per space (seed 11); all drawn");
    expect(all.data.values.filter((p) => p.kind === "sample")).toHaveLength(800);
    const some = specOf(100);
    expect(some.title.subtitle[0]).toBe(
      "400 random sub-architectures per space (seed 11); 100 of each drawn (every 4th)",
    );
    for (const s of report.spaces)
      expect(some.data.values.filter((p) => p.kind === "sample" && p.space === s.label)).toHaveLength(100);
  });

  it("draws each full supernet as a large outlined diamond, on top of the samples, named in the legend", () => {
    const spec = specOf();
    const last = spec.data.values.slice(-report.spaces.length);
    expect(last.map((p) => [p.space, p.kind, p.params])).toEqual(
      report.spaces.map((s) => [s.label, "full supernet", s.full.params]),
    );
    expect(spec.encoding["shape"]!.scale!.range).toEqual(["circle", "diamond"]);
    const [sampleArea, supernetArea] = spec.encoding["size"]!.scale!.range as number[];
    expect(supernetArea! / sampleArea!).toBeGreaterThanOrEqual(10);
    expect(JSON.stringify(spec.encoding["stroke"])).toContain("black");
  });

  it("fits each log axis to the points, with round ticks inside it", () => {
    const spec = specOf();
    for (const field of ["params", "madds"] as const) {
      const values = spec.data.values.map((p) => p[field]);
      const [low, high] = spec.encoding[field === "params" ? "x" : "y"]!.scale!.domain as [number, number];
      const [min, max] = [Math.min(...values), Math.max(...values)];
      // A twentieth of the data's span on each side (logDomain below): not the whole decades a "nice" scale adds.
      const margin = 0.05 * Math.log10(max / min);
      expect(Math.log10(min / low)).toBeGreaterThanOrEqual(margin - 1e-12);
      expect(Math.log10(min / low)).toBeLessThan(margin + 0.005);
      expect(Math.log10(high / max)).toBeGreaterThanOrEqual(margin - 1e-12);
      expect(Math.log10(high / max)).toBeLessThan(margin + 0.005);
      const ticks = spec.encoding[field === "params" ? "x" : "y"]!.axis!.values!;
      expect(ticks.length).toBeGreaterThanOrEqual(4);
      for (const tick of ticks) {
        expect(tick).toBeGreaterThanOrEqual(low);
        expect(tick).toBeLessThanOrEqual(high);
        const mantissa = tick / 10 ** Math.floor(Math.log10(tick));
        expect(Math.abs(mantissa - Math.round(mantissa))).toBeLessThan(1e-9);
      }
    }
  });

  it("renders to well-formed SVG with the title, the subtitle and both legend entries", async () => {
    const svg = await renderDiffSvg(report, samples, 100);
    expect(xmlProblems(svg)).toEqual([]);
    for (const text of [CHART_TITLE, "100 of each drawn (every 4th)", ">sample<", ">full supernet<", ">fbnet<"])
      expect(svg).toContain(text);
    expect(svg).not.toMatch(/figs diff/);
  });

  it("keeps its spec stable (test/diff/fixtures/chart-spec.json, data left out)", async () => {
    const { data, ...rest } = chartSpec(report, samples, 100) as unknown as Spec & Record<string, unknown>;
    const golden = { ...rest, data: `${data.values.length} points` };
    await expect(JSON.stringify(golden, null, 2) + "\n").toMatchFileSnapshot("fixtures/chart-spec.json");
  });
});

describe("log axes", () => {
  it("pad the data by a twentieth of its span in decades (at least 0.02), rounded outward to 3 digits", () => {
    // 0.05 · log10(25) = 0.0699 decades, a factor 1.1746:
    // 1e6 / 1.1746 = 851,340 → 851,000; 2.5e7 · 1.1746 = 29,365,474 → 29,400,000.
    expect(logDomain([1e6, 2.5e7, 3e6])).toEqual([851_000, 29_400_000]);
    // 0.02 decades: 1e6 / 1.0471 = 954,993, rounded down.
    expect(logDomain([1e6, 1.01e6])[0]).toBe(954_000);
    expect(logDomain([0.5, 0.6])).toEqual([0.477, 0.629]);
    expect(logDomain([0, Number.NaN])).toEqual([1, 10]);
  });

  it("tick at 1-2-5 times powers of ten, sparser over many decades, denser over few", () => {
    expect(logTicks([0.9e6, 2.6e7])).toEqual([1e6, 2e6, 5e6, 1e7, 2e7]);
    expect(logTicks([5, 2e9])).toEqual([10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9]);
    expect(logTicks([1.5e6, 5.5e6])).toEqual([2e6, 3e6, 4e6, 5e6]);
    expect(logTicks([0.25, 0.9])).toEqual([0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]);
    expect(logTicks([1.2e6, 1.8e6])).toBeUndefined();
  });
});
