import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SourceFile } from "../../../diagnostics/source.js";
import { costOfSpace, CostModel, type CostOptions } from "../../../compiler/cost/index.js";
import { placeMasks, type MaskPlan } from "../../../compiler/masks/index.js";
import { buildIr, irContents, parseIr, readIr, serializeIr, writeIr, type Ir } from "../../../compiler/ir/index.js";
import type { Graph } from "../../../compiler/graph.js";
import { GROUP_CASES } from "../masks/cases.js";

function irOf(graph: Graph, options: CostOptions = { convention: "torch" }): Ir {
  const plan = placeMasks(graph).plan as MaskPlan;
  const cost = costOfSpace(graph, plan, options);
  const sources = new Map([["built.figs", new SourceFile("built.figs", "space built() { input(8, 8, 3) }\n")]]);
  return buildIr(graph, plan, cost, sources);
}

type MutableCosts = {
  convention: string;
  convBias?: boolean;
  full: { params: number };
  params: { linear: [number, number][] };
  madds: { bilinear: [number, number, number][] };
};

function costsOf(json: Record<string, unknown>): MutableCosts {
  return json["costs"] as MutableCosts;
}

function mutated(ir: Ir, change: (json: Record<string, unknown>) => void): string {
  const json = JSON.parse(JSON.stringify(ir)) as Record<string, unknown>;
  change(json);
  return JSON.stringify(json);
}

describe("IR", () => {
  it("round-trips every group case through text, schema-checked both ways", () => {
    for (const build of Object.values(GROUP_CASES)) {
      const ir = irOf(build());
      const written = serializeIr(ir);
      expect(written.diagnostics).toEqual([]);
      const read = parseIr(written.text ?? "", "case.ir.json");
      expect(read.diagnostics).toEqual([]);
      expect(read.ir).toEqual(JSON.parse(JSON.stringify(ir)));
    }
  });

  it("keeps the costs: the polynomials read back evaluate to the recorded totals", () => {
    const ir = parseIr(serializeIr(irOf(GROUP_CASES["nested_residuals"]!())).text ?? "", "x.json").ir as Ir;
    const contents = irContents(ir);
    const model = new CostModel(contents.plan.groups, contents.cost);
    expect(model.fullWidth()).toEqual(ir.costs.full);
    expect(model.pi.length).toBe(ir.maskVariables);
    const again = costOfSpace(contents.graph, contents.plan);
    expect(again.params.toJson()).toEqual(ir.costs.params);
  });

  it("records sources with their SHA-256", () => {
    const ir = irOf(GROUP_CASES["residual_add"]!());
    expect(ir.sources).toEqual([{ path: "built.figs", sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
  });

  it("matches the golden IR of a small case", async () => {
    const text = serializeIr(irOf(GROUP_CASES["concat_then_add"]!())).text;
    await expect(text).toMatchFileSnapshot("../../fixtures/groups/concat_then_add/ir.json");
  });

  const invalid: [string, (ir: Ir) => string, string, RegExp][] = [
    ["not JSON", () => "{ nodes: [", "FIGS3506", /not valid JSON/],
    ["another version", (ir) => mutated(ir, (j) => (j["version"] = 7)), "FIGS3504", /version 7/],
    [
      "a missing field",
      (ir) => mutated(ir, (j) => delete j["groups"]),
      "FIGS3503",
      /must have required property 'groups'/,
    ],
    [
      "a conv kernel that is a string",
      (ir) =>
        mutated(ir, (j) => ((j["nodes"] as Record<string, Record<string, unknown>>[])[1]!["attrs"]!["kernel"] = "3x3")),
      "FIGS3503",
      /\/nodes\/1\/attrs\/kernel must be array/,
    ],
    [
      "an unknown op",
      (ir) => mutated(ir, (j) => ((j["nodes"] as Record<string, unknown>[])[2]!["op"] = "softmax")),
      "FIGS3503",
      /\/nodes\/2\/op is "softmax", not one of the ops figs knows \(input, conv, /,
    ],
    [
      "a layout naming a missing group",
      (ir) => mutated(ir, (j) => ((j["nodes"] as { layout: { group: number }[] }[])[1]!.layout[0]!.group = 99)),
      "FIGS3503",
      /names group 99/,
    ],
    [
      "an input from the future",
      (ir) => mutated(ir, (j) => ((j["nodes"] as { inputs: number[] }[])[1]!.inputs = [5])),
      "FIGS3503",
      /comes after it/,
    ],
    [
      "a stored total the graph does not give",
      (ir) => mutated(ir, (j) => (costsOf(j).full.params = 1)),
      "FIGS3507",
      new RegExp(
        /stores costs that disagree with its graph \(torch convention\): /.source +
          /\/costs\/full\/params is 1, but the graph gives [\d,]+; compile the space again$/.source,
      ),
    ],
    [
      "a stored coefficient the graph does not give",
      (ir) => mutated(ir, (j) => (costsOf(j).params.linear[0]![1] += 1)),
      "FIGS3507",
      /\/costs\/params: the coefficient of S\[stem\] is 32, but the graph gives 31/,
    ],
    [
      "a stored term the graph does not have",
      (ir) => mutated(ir, (j) => costsOf(j).madds.bilinear.push([0, 0, 5])),
      "FIGS3507",
      /\/costs\/madds: the coefficient of S\[\w+\]² is 5, but the graph gives 0/,
    ],
    [
      "another convention than the one the costs were computed in",
      (ir) => mutated(ir, (j) => (costsOf(j).convention = "keras")),
      "FIGS3507",
      /\(keras convention\): \/costs\/params: the coefficient of S\[stem\] is 31, but the graph gives 35/,
    ],
    [
      "a group at the wrong place in π",
      (ir) => mutated(ir, (j) => ((j["groups"] as { offset: number }[])[2]!.offset = 0)),
      "FIGS3507",
      /\/groups\/2\/offset is 0, but its place in π is 16/,
    ],
    [
      "a wrong number of mask variables",
      (ir) => mutated(ir, (j) => (j["maskVariables"] = 3)),
      "FIGS3507",
      /\/maskVariables is 3, but the groups have 32 masks/,
    ],
  ];
  for (const [what, make, code, message] of invalid) {
    it(`reports ${what} as a diagnostic`, () => {
      const read = parseIr(make(irOf(GROUP_CASES["residual_add"]!())), "bad.json");
      expect(read.ir).toBeUndefined();
      expect(read.diagnostics.map((d) => d.code)).toEqual([code]);
      expect(read.diagnostics[0]?.message).toMatch(message);
    });
  }

  it("names the first cost that disagrees and notes the others (up to ten in all)", () => {
    const read = parseIr(
      mutated(irOf(GROUP_CASES["residual_add"]!()), (j) => (costsOf(j).convention = "keras")),
      "keras.json",
    );
    const [d] = read.diagnostics;
    expect(d?.code).toBe("FIGS3507");
    expect(d?.notes.length).toBeGreaterThan(0);
    expect(d?.notes.length).toBeLessThanOrEqual(9);
    for (const note of d?.notes ?? []) expect(note.message).toMatch(/^also: \/costs\/(params|madds|full)/);
  });

  it("records the conv-bias convention only when it is on, and checks costs against it", () => {
    const graph = GROUP_CASES["residual_add"]!();
    const plain = irOf(graph);
    const biased = irOf(graph, { convention: "torch", convBias: true });
    expect(plain.costs).not.toHaveProperty("convBias");
    expect(biased.costs.convBias).toBe(true);
    expect(biased.costs.full.params - plain.costs.full.params).toBe(16 + 16 + 16); // stem and the block's two convs
    const read = parseIr(serializeIr(biased).text ?? "", "biased.json");
    expect([read.diagnostics, read.ir]).toEqual([[], JSON.parse(JSON.stringify(biased))]);
    const dropped = parseIr(
      mutated(biased, (j) => delete costsOf(j).convBias),
      "dropped.json",
    );
    expect(dropped.diagnostics.map((d) => d.message)).toEqual([
      expect.stringMatching(
        /\(torch convention\): \/costs\/params: the coefficient of S\[stem\] is 33, but the graph gives 31/,
      ),
    ]);
    expect(
      parseIr(
        mutated(plain, (j) => (costsOf(j).convBias = false)),
        "false.json",
      ).diagnostics.map((d) => d.code),
    ).toEqual(["FIGS3503"]);
  });

  it("refuses to write an IR that breaks its own schema", () => {
    const ir = irOf(GROUP_CASES["residual_add"]!());
    const broken = { ...ir, output: -1 } as Ir;
    expect(serializeIr(broken).diagnostics.map((d) => d.code)).toEqual(["FIGS9999"]);
  });

  it("writes and reads files, missing files being diagnostics", () => {
    const dir = mkdtempSync(join(tmpdir(), "figs-ir-"));
    const path = join(dir, "out", "space.ir.json");
    const ir = irOf(GROUP_CASES["dense_cell"]!());
    expect(writeIr(path, ir)).toEqual([]);
    expect(readIr(path).ir?.groups).toHaveLength(ir.groups.length);
    expect(readIr(join(dir, "missing.json")).diagnostics.map((d) => d.code)).toEqual(["FIGS9001"]);
    writeFileSync(join(dir, "empty.json"), "");
    expect(readIr(join(dir, "empty.json")).diagnostics.map((d) => d.code)).toEqual(["FIGS3506"]);
    expect(readFileSync(path, "utf8").split("\n").length).toBeGreaterThan(ir.nodes.length);
  });
});

describe("an IR written before convs had a dilation", () => {
  it("reads with dilation 1 on every conv and dwconv, and the same costs", () => {
    const ir = irOf(GROUP_CASES["grouped_conv"]!());
    const text = serializeIr(ir).text ?? "";
    const old = JSON.parse(text) as { nodes: { op: string; attrs: Record<string, unknown> }[] };
    for (const node of old.nodes) delete node.attrs["dilation"];
    const read = parseIr(JSON.stringify(old), "old.ir.json");
    expect(read.diagnostics).toEqual([]);
    const convs = read.ir!.nodes.filter((n) => n.op === "conv" || n.op === "dwconv");
    expect(convs.length).toBeGreaterThan(0);
    for (const node of convs) expect((node.attrs as { dilation: unknown }).dilation).toEqual([1, 1]);
    expect(read.ir!.costs).toEqual(ir.costs);
  });
});
