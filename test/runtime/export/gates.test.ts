// Operator gates at export (issue 13, FiGS Fig. 1c): a gate is open when its π > ½, a closed
// gate removes its operator and everything only it reached, the written .figs has no gates
// left and compiles back to the same cost, and random sampling draws subsets of all seven
// operators of a One-Shot block.
import { describe, expect, it } from "vitest";
import { ArchitectureSampler, type Ir } from "../../../compiler/index.js";
import { planExport, widthsFromPi } from "../../../runtime/export/index.js";
import { compileSpace, compileText, seededRandom, spacePath } from "./helpers.js";

const TEXT = `space gated() {
  input(8, 8, 3)
  let x = conv(3, 8) -> bn -> relu
  let a = x -> conv(3, 8) -> bn -> relu -> gate
  let b = x -> maxpool(3) -> gate
  let c = x -> gate
  concat([a, b, c]) -> conv(1, 8) -> bn -> relu -> global_avgpool -> dense(4) fixed
}`;

function gateGroups(ir: Ir): Ir["groups"] {
  return ir.groups.filter((g) => g.gate !== undefined);
}

describe("an operator gate at export", () => {
  const ir = compileText(TEXT, "keras").ir!;
  const gates = gateGroups(ir);

  it("is open when its π > ½, as the supernet's evaluation mode keeps it", () => {
    const pi = new Float64Array(ir.maskVariables).fill(0.9);
    pi[gates[0]!.offset] = 0.51;
    pi[gates[1]!.offset] = 0.49;
    pi[gates[2]!.offset] = 0.5;
    const widths = widthsFromPi(ir, pi);
    expect(gates.map((g) => widths[g.id])).toEqual([1, 0, 0]);
  });

  it("closed, removes its operator and what only it reached; the .figs has no gates and costs the same", () => {
    const convBranch = ir.nodes.find((n) => n.op === "conv" && n.inputs[0] !== 0 && n.layout[0]?.gates)!;
    for (const closed of gates) {
      const widths = Int32Array.from(ir.groups, (g) => (g.id === closed.id ? 0 : g.size));
      const { plan } = planExport({ ir, widths });
      expect(plan, closed.name).toBeDefined();
      const kept = plan!.architecture.kept;
      expect(kept.has(closed.gate!)).toBe(false);
      expect(kept.has(convBranch.id)).toBe(closed.name !== gates[0]!.name);
      expect(plan!.figs).not.toMatch(/-> gate\b/);
      const back = compileText(plan!.figs, "keras");
      expect(back.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      expect(back.ir!.costs.full.params).toBe(plan!.arch.costs.keras.params);
      expect(back.ir!.costs.full.madds).toBe(plan!.arch.costs.keras.madds);
      expect(plan!.arch.costs.keras.params).toBeLessThan(ir.costs.full.params);
    }
  });

  it("all closed, leave the concat with no input: a diagnostic that says the space is disconnected", () => {
    const widths = Int32Array.from(ir.groups, (g) => (g.gate !== undefined ? 0 : g.size));
    const { plan, diagnostics } = planExport({ ir, widths });
    expect(plan).toBeUndefined();
    expect(diagnostics.map((d) => d.code)).toEqual(["FIGS3505"]);
  });
});

describe("random samples of a One-Shot space", () => {
  const ir = compileSpace(spacePath("one_shot.figs"), { size: "28", F: "8", cells: "2", blocks: "2", classes: "10" });
  const gates = gateGroups(ir);

  it("have a gate on each of the seven operators of every block", () => {
    // 2 cells × 2 blocks × 7 operators.
    expect(gates.length).toBe(28);
    // Three separable pairs, the 1x1 conv and the skip end in a relu; then the two pools.
    const before = gates.slice(0, 7).map((g) => ir.nodes[ir.nodes[g.gate!]!.inputs[0]!]!.op);
    expect(before).toEqual(["relu", "relu", "relu", "relu", "avgpool", "maxpool", "relu"]);
  });

  it("draw subsets of all seven: every gate is closed in some samples and open in others", () => {
    const sampler = new ArchitectureSampler(ir);
    expect(gates.every((g) => sampler.droppable.includes(g.id))).toBe(true);
    const random = seededRandom(17);
    const open = new Int32Array(ir.groups.length);
    const sizes = new Set<number>();
    const SAMPLES = 200;
    for (let k = 0; k < SAMPLES; k++) {
      const { widths } = sampler.sample(random);
      const firstBlock = gates.slice(0, 7).filter((g) => widths[g.id] === 1).length;
      sizes.add(firstBlock);
      for (const g of gates) open[g.id] = open[g.id]! + widths[g.id]!;
    }
    for (const g of gates) {
      expect(open[g.id], g.name).toBeGreaterThan(0);
      expect(open[g.id], g.name).toBeLessThan(SAMPLES);
    }
    expect(sizes.size).toBeGreaterThanOrEqual(4);
  });
});
