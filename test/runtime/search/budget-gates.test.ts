// The controller and the export's calibration count what export writes: when every operator gate of a One-Shot
// block closes, what fed only that block dies with it, which the cost formula cannot say (docs/costs.md).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compile, packageRoot } from "../../../compiler/index.js";
import { architectureCosts, polynomialCost } from "../../../runtime/export/costs.js";
import { pruneArchitecture } from "../../../runtime/export/prune.js";
import { calibrate, exportedAt } from "../../../runtime/search/budget.js";

function oneShot() {
  const path = join(packageRoot(), "spaces/one_shot.figs");
  const set = { size: "28", channels: "1", classes: "10", F: "8", cells: "1", blocks: "2" };
  const { ir } = compile({ path, text: readFileSync(path, "utf8"), set }, {});
  if (!ir) throw new Error("one_shot.figs did not compile");
  return ir;
}

describe("the exported cost a search steers by", () => {
  const ir = oneShot();
  // Every mask open (ν = 3), but all seven gates of the cell's first block closed (ν = −3).
  const nu = new Float64Array(ir.maskVariables).fill(3);
  for (const group of ir.groups)
    if (group.gate !== undefined && group.name.startsWith("one_shot_cell_0.choice_0.")) nu[group.offset] = -3;

  it("is the pruned graph's, below the formula's when a whole block's gates are closed", () => {
    const { widths, cost } = exportedAt(ir, nu, "params");
    const pruned = pruneArchitecture(ir, widths).architecture!;
    expect(cost).toBe(architectureCosts(ir, pruned).torch.params);
    expect(cost).toBeLessThan(polynomialCost(ir, widths).params);
  });

  it("lets the calibration land on a target the pruned graph meets", () => {
    const target = exportedAt(ir, nu, "params").cost * 0.9;
    const calibrated = calibrate(ir, nu, "params", target, 0.05);
    const pruned = pruneArchitecture(ir, calibrated.widths).architecture!;
    expect(calibrated.cost).toBe(architectureCosts(ir, pruned).torch.params);
    expect(calibrated.withinTolerance).toBe(Math.abs(calibrated.cost - target) <= 0.05 * target);
  });
});
