// Exactness (issue 5): the exported cost from the compiler's formula equals the
// compiled cost of the pruned .figs, for 50 random widths of every space file
// (spaces/ and examples/), and the emitted tfjs model's countParams() (Keras
// convention), built at small input sizes (helpers.ts EMITTED).
import * as tf from "@tensorflow/tfjs";
import { basename } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Ir } from "../../../compiler/index.js";
import { emitModel } from "../../../runtime/emit/index.js";
import { planExport, polynomialCost, type ExportPlan } from "../../../runtime/export/index.js";
import {
  compileSpace,
  compileText,
  CPU_SIZED,
  EMITTED,
  seededRandom,
  spaceAndExampleFiles,
  spacePath,
  useCpu,
} from "./helpers.js";

const ASSIGNMENTS = 50;
/** Exports that removed ops (a branch at width 0), over all spaces: the pruning must be exercised, not only widths. */
let exportsWithRemovedOps = 0;

beforeAll(useCpu);

/** Even assignments keep every group ≥ 1; odd ones set 15% of the groups to 0 (removing ops, or disconnecting). */
function randomWidths(ir: Ir, random: () => number, zeros: boolean): Int32Array {
  return Int32Array.from(ir.groups, (g) => {
    if (!g.searchable) return g.size;
    if (zeros && random() < 0.15) return 0;
    return 1 + Math.floor(random() * g.size);
  });
}

/**
 * Assignment k exported and compared with its pruned .figs compiled back; undefined when a zero width disconnected
 * the space.
 */
function exportedExactly(ir: Ir, widths: Int32Array, k: number): ExportPlan | undefined {
  const { plan, diagnostics } = planExport({ ir, widths });
  if (!plan) {
    // Only a zero width may disconnect a space (or, in ShuffleNetV2, remove a branch its shuffle needs),
    // and it says so.
    expect(k % 2, `assignment ${k}`).toBe(1);
    expect(new Set(diagnostics.map((d) => d.code))).toEqual(new Set(["FIGS3505"]));
    return undefined;
  }
  const back = compileText(plan.figs, "keras");
  expect(
    back.diagnostics.filter((d) => d.severity === "error"),
    `assignment ${k}`,
  ).toEqual([]);
  expect(back.ir!.costs.full.params, `keras params, assignment ${k}`).toBe(plan.arch.costs.keras.params);
  expect(back.ir!.costs.full.madds, `madds, assignment ${k}`).toBe(plan.arch.costs.keras.madds);
  return plan;
}

describe("the spaces whose models the test builds", () => {
  it("include every space file", () => {
    expect(Object.keys(EMITTED).sort()).toEqual(spaceAndExampleFiles().sort());
  });
});

describe.each(spaceAndExampleFiles())("export of %s", (path) => {
  // The files' own parameters, except the spaces that are slow to compile 50 times at full size.
  const set = path.startsWith("spaces/") ? (CPU_SIZED[basename(path)] ?? {}) : {};
  const ir = compileSpace(path, set, "keras");
  const torchIr = compileSpace(path, set, "torch");
  const emitted = EMITTED[path] ?? { set: {}, models: 0 };

  it(`costs exactly what its pruned .figs compiles to, for ${ASSIGNMENTS} random widths`, () => {
    const random = seededRandom(basename(path).length * 7919);
    let exported = 0;
    for (let k = 0; k < ASSIGNMENTS; k++) {
      const widths = randomWidths(ir, random, k % 2 === 1);
      const plan = exportedExactly(ir, widths, k);
      if (!plan) continue;
      exported += 1;
      if (plan.arch.removedOps > 0) exportsWithRemovedOps += 1;
      if (k % 2 === 0) {
        // Nothing removed beyond whole groups: the space's own polynomial gives the same numbers.
        expect(
          polynomialCost(
            ir,
            plan.arch.widths.map((w) => w.width),
          ),
        ).toEqual(plan.arch.costs.keras);
        expect(
          polynomialCost(
            torchIr,
            plan.arch.widths.map((w) => w.width),
          ),
        ).toEqual(plan.arch.costs.torch);
      }
      if (k < 6) {
        const torchBack = compileText(plan.figs, "torch");
        expect(torchBack.ir!.costs.full.params, `torch params, assignment ${k}`).toBe(plan.arch.costs.torch.params);
      }
    }
    expect(exported).toBeGreaterThanOrEqual(ASSIGNMENTS / 2);
  });

  const at = Object.entries(emitted.set)
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
  const title =
    `builds tfjs models whose countParams() is that cost (keras), ` +
    `for ${emitted.models} random widths${at ? ` at --set ${at}` : ""}`;
  it(title, () => {
    const small = compileSpace(path, emitted.set, "keras");
    const random = seededRandom(basename(path).length * 104729);
    let built = 0;
    for (let k = 0; k < emitted.models; k++) {
      const plan = exportedExactly(small, randomWidths(small, random, k % 2 === 1), k);
      if (!plan) continue;
      const model = emitModel(plan.architecture.nodes, plan.architecture.output, "exactness");
      expect(model.countParams(), `countParams, assignment ${k}`).toBe(plan.arch.costs.keras.params);
      model.dispose();
      built += 1;
    }
    expect(built).toBeGreaterThanOrEqual(emitted.models / 2);
  });
});

describe("random widths with zeros", () => {
  it("removed ops in some exports (checked exactly above) rather than only disconnecting", () => {
    expect(exportsWithRemovedOps).toBeGreaterThan(0);
  });
});

describe("the search-like result", () => {
  it.each(Object.entries(CPU_SIZED))("of %s: ⌊Σπ⌋ widths export exactly", (file, set) => {
    const ir = compileSpace(spacePath(file), set, "keras");
    const random = seededRandom(17);
    // π after a search: most channels sure (π near 1), some gone (near 0), some undecided.
    const pi = Float32Array.from({ length: ir.maskVariables }, () => {
      const r = random();
      return r < 0.3 ? 0.02 : r < 0.85 ? 0.97 : random();
    });
    const { plan } = planExport({ ir, pi });
    expect(plan).toBeDefined();
    const searchable = ir.groups.filter((g) => g.searchable);
    expect(searchable.some((g) => plan!.arch.widths[g.id]!.width < g.size)).toBe(true);
    const back = compileText(plan!.figs, "keras");
    expect(back.ir!.costs.full.params).toBe(plan!.arch.costs.keras.params);
    expect(back.ir!.costs.full.madds).toBe(plan!.arch.costs.keras.madds);
    const model = emitModel(plan!.architecture.nodes, plan!.architecture.output, "search_like");
    expect(model.countParams()).toBe(plan!.arch.costs.keras.params);
    const y = model.predict(tf.zeros([1, ...model.inputs[0]!.shape.slice(1)] as number[])) as tf.Tensor;
    expect(y.shape).toEqual([1, ir.nodes[ir.output]!.shape.channels]);
    model.dispose();
  });
});
