// Exports never disconnect the network, and targets outside what connected architectures cost are refused
// before training (issue #11, item 14).
import { describe, expect, it } from "vitest";
import { compile, type Ir } from "../../../compiler/index.js";
import { planExport } from "../../../runtime/export/export.js";
import { pruneArchitecture } from "../../../runtime/export/prune.js";
import { connectWidths, isConnected, widthsFromPi } from "../../../runtime/export/widths.js";
import { smallestConnectedWidths, targetReachability } from "../../../runtime/preflight/index.js";
import { calibrate, exportedAt } from "../../../runtime/search/budget.js";

function compiled(path: string, set: Record<string, string> = {}): Ir {
  const result = compile({ path, set });
  if (!result.ir) throw new Error(result.diagnostics.map((d) => d.message).join("; "));
  return result.ir;
}

const small = compiled("spaces/mnist_convnet.figs", { width: "8", hidden: "32" });

/** Every searchable group raised to one channel is needed: putting it back to 0 disconnects. */
function isMinimal(ir: Ir, widths: Int32Array): boolean {
  return ir.groups.every((g) => {
    if (!g.searchable || widths[g.id] !== 1) return true;
    const without = Int32Array.from(widths);
    without[g.id] = 0;
    return !isConnected(ir, without);
  });
}

describe("widths from π keep the network connected", () => {
  it("π near 0 everywhere: one channel in every group of the chain, not a network with no path", () => {
    const widths = widthsFromPi(small, new Float64Array(small.maskVariables).fill(1e-4));
    expect(Array.from(widths)).toEqual([1, 1, 1, 1, 1, 1, 10]);
    expect(pruneArchitecture(small, widths).diagnostics).toEqual([]);
  });

  it("groups already wide are left alone", () => {
    const pi = new Float64Array(small.maskVariables).fill(0.6);
    expect(Array.from(widthsFromPi(small, pi))).toEqual(
      small.groups.map((g) => (g.searchable ? Math.floor(0.6 * g.size + 1e-9) : g.size)),
    );
  });

  it("with parallel branches, keeps the one path the search liked best, and nothing more", () => {
    const text =
      "space br() {\n  input(8, 8, 1)\n  conv(3, 4) as stem -> relu\n" +
      "  branches {\n    conv(1, 4) as a\n    conv(3, 4) as b\n" +
      "  } aggregate concat -> global_avgpool -> dense(10) fixed\n}\n";
    const result = compile({ path: "branches.figs", text });
    const ir = result.ir!;
    const group = (name: string) => ir.groups.find((g) => g.name === name)!;
    const pi = new Float64Array(ir.maskVariables).fill(0.01);
    for (let i = group("b").offset; i < group("b").offset + 4; i++) pi[i] = 0.2;
    const widths = widthsFromPi(ir, pi);
    expect([widths[group("stem").id], widths[group("a").id], widths[group("b").id]]).toEqual([1, 0, 1]);
    expect(pruneArchitecture(ir, widths).diagnostics).toEqual([]);
    expect(isMinimal(ir, widths)).toBe(true);
    for (let i = group("a").offset; i < group("a").offset + 4; i++) pi[i] = 0.24;
    expect(widthsFromPi(ir, pi)[group("a").id]).toBe(1);
    expect(widthsFromPi(ir, pi)[group("b").id]).toBe(0);
  });

  it("connectWidths returns connected widths unchanged", () => {
    const full = Int32Array.from(small.groups, (g) => g.size);
    expect(connectWidths(small, Int32Array.from(full), new Float64Array(full.length))).toEqual(full);
  });
});

describe("calibrate never lands on a disconnected export", () => {
  it("params=150 on the width-8 space: a connected architecture the export accepts", () => {
    // Before: δ ≈ −4.8 put conv_1 and conv_2 at 0 (143 params by the formula, no path from input to output).
    const nu = new Float64Array(small.maskVariables).fill(2.5);
    const calibration = calibrate(small, nu, "params", 150, 0.05);
    expect(pruneArchitecture(small, calibration.widths).diagnostics).toEqual([]);
    expect(planExport({ ir: small, widths: calibration.widths }).diagnostics).toEqual([]);
    expect(calibration.cost).toBeGreaterThanOrEqual(targetReachability(small, "params", 150).smallest);
    expect(isConnected(small, exportedAt(small, nu, "params", -40).widths)).toBe(true);
  });

  it("a target below every connected architecture ends on the smallest one", () => {
    const nu = Float64Array.from({ length: small.maskVariables }, (_, i) => (i % 7) - 3);
    const calibration = calibrate(small, nu, "params", 20, 0.05);
    expect(Array.from(calibration.widths)).toEqual(Array.from(smallestConnectedWidths(small, "params")));
    expect(calibration.withinTolerance).toBe(false);
  });
});

describe("targetReachability", () => {
  it("the smallest connected architecture and the full space", () => {
    const reach = targetReachability(small, "params", 150);
    expect(reach.smallest).toBe(114);
    expect(reach.largest).toBe(small.costs.full.params);
    expect(Array.from(reach.smallestWidths)).toEqual([1, 1, 1, 1, 1, 1, 10]);
    expect(reach.problem).toBeUndefined();
  });

  it("a target below it: the message with both numbers", () => {
    const problem = targetReachability(small, "params", 50).problem;
    expect(problem?.code).toBe("FIGS5004");
    expect(problem?.message).toBe(
      "--target params=50 is below every architecture of 'mnist_convnet': " +
        "the smallest connected architecture of this space has 114 params " +
        "(one channel in each group a path from input to output needs) and the full space 29,650; " +
        "choose a target between 114 and 29,650, " +
        "or a smaller space (smaller --set widths)",
    );
  });

  it("within the tolerance of the smallest is reachable; above the full space is not", () => {
    expect(targetReachability(small, "params", 110).problem).toBeUndefined();
    expect(targetReachability(small, "params", 100_000).problem?.message).toMatch(
      /^--target params=100,000 is above every architecture .* and the full space 29,650;/,
    );
    expect(targetReachability(small, "madds", 10).problem?.message).toContain("madds");
  });

  it("picks one branch of parallel ones, and every space's smallest architecture exports", () => {
    for (const [path, set] of [
      ["examples/one_shot_cell.figs", {}],
      ["examples/resnet_bottleneck.figs", {}],
      ["examples/mbconv.figs", {}],
    ] as const) {
      const ir = compiled(path, set);
      const reach = targetReachability(ir, "params", 1);
      expect(pruneArchitecture(ir, reach.smallestWidths).diagnostics).toEqual([]);
      expect(isMinimal(ir, reach.smallestWidths)).toBe(true);
      expect(reach.smallest).toBeLessThan(reach.largest);
      expect(reach.problem?.message).toContain(`has ${reach.smallest.toLocaleString("en-US")} params`);
    }
  });
});
