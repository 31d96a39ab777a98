// Golden outputs of an export: the pruned .figs and arch.json of a small space with
// a concat aggregator (one branch pruned away) and a residual, at fixed widths.
import { describe, expect, it } from "vitest";
import { compile } from "../../../compiler/index.js";
import { planExport, serializeArch } from "../../../runtime/export/index.js";

const SPACE = `# A small space for the export goldens.
op sep(k: int, width: int) {
  dwconv(k) -> bn -> relu -> conv(1, width) -> bn -> relu
}

space golden(F: int = 8) {
  input(12, 12, 3)
  conv(3, F) as stem -> bn -> relu
  branches {
    sep(3, F)
    sep(5, F)
    maxpool(3)
  } aggregate concat -> conv(1, F * 2) -> bn
  residual { conv(3, in) -> bn -> relu }
  global_avgpool -> dense(10) fixed as logits
}
`;

const FIXTURES = "fixtures/golden";

describe("export goldens", () => {
  const ir = compile({ path: "golden.figs", text: SPACE }, { convention: "keras" }).ir!;
  const widthOf: Record<string, number> = { stem: 5, "sep_0.conv_0": 3, "sep_1.conv_0": 0, conv_0: 11 };
  const widths = ir.groups.map((g) => (g.searchable ? (widthOf[g.name] ?? Math.max(1, g.size - 3)) : g.size));

  it("names the groups the widths above refer to", () => {
    expect(ir.groups.map((g) => g.name)).toEqual(expect.arrayContaining(Object.keys(widthOf)));
  });

  it("writes the pruned .figs and arch.json", async () => {
    const { plan, diagnostics } = planExport({ ir, widths, search: { cost: "params", lambda: 0.5 }, seed: 1 });
    expect(diagnostics).toEqual([]);
    expect(plan!.arch.removedOps).toBeGreaterThan(0);
    await expect(plan!.figs).toMatchFileSnapshot(`${FIXTURES}/pruned.figs`);
    await expect(serializeArch(plan!.arch).text).toMatchFileSnapshot(`${FIXTURES}/arch.json`);
    const back = compile({ path: "pruned.figs", text: plan!.figs }, { convention: "keras" });
    expect(back.ir!.costs.full.params).toBe(plan!.arch.costs.keras.params);
  });
});
