/**
 * Operator gates in the mask plan (issue 13, FiGS Fig. 1c): which slices need
 * which gates (the golden of test/fixtures/groups/operator_gates shows a whole
 * plan), and the warning for a gate that no path avoids.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compile } from "../../../compiler/index.js";
import { renderDiagnostics } from "../../../diagnostics/render.js";
import { repoRoot } from "../elaborate/fixtures.js";

function planOf(text: string) {
  const result = compile({ path: "s.figs", text }, { until: "masks" });
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return { graph: result.products.elaborate!, plan: result.products.masks! };
}

describe("operator gates", () => {
  it("charge an operator's insides to its gate, and only what reaches the output through it alone", () => {
    const { graph, plan } = planOf(`space s() {
      input(8, 8, 3)
      let x = conv(3, 8) -> bn -> relu
      let shared = x -> conv(1, 8) -> bn
      let a = shared -> relu -> gate
      let b = shared -> maxpool(3) -> gate
      concat([a, b, x]) -> conv(1, 4) -> global_avgpool -> dense(2) fixed
    }`);
    const gates = plan.groups.filter((g) => g.gate !== undefined).map((g) => g.id);
    expect(gates.length).toBe(2);
    const gatesOf = (op: string, nth = 0) =>
      plan.layouts[graph.nodes.filter((n) => n.op === op)[nth]!.id]!.map((s) => s.gates ?? []);
    // The conv both gated operators read needs neither alone: closing one leaves the other.
    expect(gatesOf("conv", 1)).toEqual([[]]);
    expect(gatesOf("relu", 1)).toEqual([[gates[0]]]);
    expect(gatesOf("maxpool")).toEqual([[gates[1]]]);
    expect(gatesOf("concat")).toEqual([[gates[0]], [gates[1]], []]);
    expect(gatesOf("conv", 2)).toEqual([[]]);
  });

  it("multiply through a product (either input gone, the product is gone) and meet at a sum", () => {
    const { graph, plan } = planOf(`space s() {
      input(8, 8, 3)
      let x = conv(3, 8) -> bn -> relu
      let a = x -> conv(1, 8) -> bn -> gate
      let b = x -> conv(1, 8) -> bn -> gate
      let p = mul([a, b])
      add([p, a]) -> global_avgpool -> dense(2) fixed
    }`);
    const [za, zb] = plan.groups.filter((g) => g.gate !== undefined).map((g) => g.id);
    const layoutOf = (op: string) => plan.layouts[graph.nodes.find((n) => n.op === op)!.id]!;
    expect(layoutOf("mul")[0]!.gates).toEqual([za, zb]);
    expect(layoutOf("add")[0]!.gates).toEqual([za]);
  });

  it("warn when every path from the input to the output passes one (golden)", async () => {
    const path = "test/fixtures/warnings/gate-on-every-path/input.figs";
    const result = compile({ path: join(repoRoot, path) }, { until: "masks" });
    expect(result.diagnostics.map((d) => [d.severity, d.code])).toEqual([["warning", "FIGS2032"]]);
    const text = renderDiagnostics(result.diagnostics, (file) => result.sources?.get(file)) + "\n";
    await expect(text.split(repoRoot).join("")).toMatchFileSnapshot(
      join(repoRoot, "test/fixtures/warnings/gate-on-every-path/diagnostics.txt"),
    );
  });
});
