/**
 * The named stages: `compile(request, { until })` runs load → elaborate →
 * masks → costs → ir up to a stage and returns each stage's product;
 * `compileEachSpace` loads a file once and runs the later stages per space.
 */
import { describe, expect, it } from "vitest";
import {
  compile,
  compileEachSpace,
  elaborate,
  elaborateLoaded,
  load,
  STAGES,
  type Host,
  type ParseCache,
  type Stage,
} from "../../../compiler/index.js";

const library = "block b(width: int) {\n  conv(3, width) -> bn -> relu\n}\n";
const space = (name: string) => `space ${name}() {\n  input(8, 8, 3) -> b(8) -> global_avgpool -> dense(2) fixed\n}\n`;
const root = `import "lib.figs"\n${space("s")}`;

/** A host that serves lib.figs from memory and counts the reads. */
function memoryHost(files: Record<string, string> = { "lib.figs": library }): Host & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    stdlibDir: "stdlib",
    readFile: (path) => {
      reads.push(path);
      const text = files[path];
      return text === undefined ? { ok: false, text: "", diagnostics: [] } : { ok: true, text, diagnostics: [] };
    },
  };
}

describe("compile until a stage", () => {
  const productsUntil = (until: Stage) =>
    Object.keys(compile({ path: "s.figs", text: root }, { host: memoryHost(), until }).products);

  it("returns the products of the stages up to it, in order", () => {
    expect(STAGES).toEqual(["load", "elaborate", "masks", "costs", "ir"]);
    for (const [i, until] of STAGES.entries()) expect(productsUntil(until), until).toEqual(STAGES.slice(0, i + 1));
  });

  it("load: every file parsed, imports before the files that import them", () => {
    const result = compile({ path: "s.figs", text: root }, { host: memoryHost(), until: "load" });
    expect(result.products.load?.modules.map((m) => m.path)).toEqual(["lib.figs", "s.figs"]);
    expect(result.products.load?.root).toBe("s.figs");
    expect(result.stages).toBeUndefined();
    expect(result.ir).toBeUndefined();
  });

  it("elaborate and masks: the graph, then the mask plan; no costs, no IR", () => {
    const masks = compile({ path: "s.figs", text: root }, { host: memoryHost(), until: "masks" });
    expect(masks.products.elaborate?.space).toBe("s");
    expect(masks.products.masks?.groups.length).toBeGreaterThan(0);
    expect(masks.stages).toBeUndefined();
    expect(masks.ir).toBeUndefined();
  });

  it("costs is what `ir: false` stops at: the stages without the IR", () => {
    const costs = compile({ path: "s.figs", text: root }, { host: memoryHost(), until: "costs" });
    const noIr = compile({ path: "s.figs", text: root }, { host: memoryHost(), ir: false });
    expect(costs.stages?.cost.params).toEqual(noIr.stages?.cost.params);
    expect(Object.keys(noIr.products)).toEqual(["load", "elaborate", "masks", "costs"]);
    expect(costs.ir).toBeUndefined();
    const full = compile({ path: "s.figs", text: root }, { host: memoryHost() });
    expect(full.ir?.space).toBe("s");
    expect(full.products.ir).toBe(full.ir);
    expect(full.stages?.graph).toBe(full.products.elaborate);
  });

  it("a stage that finds an error ends the run: elaboration errors are not looked for after load errors", () => {
    const text = `import "missing.figs"\nspace s() {\n  input(8, 8, 3) -> nowhere\n}\n`;
    const result = compile({ path: "s.figs", text }, { host: memoryHost() });
    expect(result.diagnostics.map((d) => d.code)).toEqual(["FIGS2004"]);
    expect(Object.keys(result.products)).toEqual(["load"]);
    const later = compile(
      { path: "s.figs", text: text.replace('import "missing.figs"\n', "") },
      { host: memoryHost() },
    );
    expect(later.diagnostics.map((d) => d.code)).toEqual(["FIGS2001"]);
    expect(Object.keys(later.products)).toEqual(["load"]);
  });

  it("until load, a space with elaboration errors compiles without diagnostics", () => {
    const text = "space s() {\n  input(8, 8, 3) -> nowhere\n}\n";
    expect(compile({ path: "s.figs", text }, { host: memoryHost(), until: "load" }).diagnostics).toEqual([]);
  });
});

describe("load, then elaborate", () => {
  it("elaborate() is load + elaborateLoaded", () => {
    const host = memoryHost();
    const loaded = load({ path: "s.figs", text: root }, host);
    expect(loaded.diagnostics).toEqual([]);
    const staged = elaborateLoaded(loaded, {});
    const direct = elaborate({ path: "s.figs", text: root }, memoryHost());
    expect(staged.graph).toEqual(direct.graph);
    expect([...staged.sources.keys()]).toEqual([...direct.sources.keys()]);
  });

  it("one load serves several elaborations: a space each, with their own --set values", () => {
    const spaces = "space s(w: int = 4) {\n  input(8, 8, 3) -> b(w)\n}\nspace t() {\n  input(8, 8, 1) -> b(2)\n}\n";
    const text = `${library}${spaces}`;
    const loaded = load({ path: "two.figs", text }, memoryHost());
    const s = elaborateLoaded(loaded, { space: "s", set: { w: "6" } });
    const t = elaborateLoaded(loaded, { space: "t" });
    expect(s.graph?.parameters).toEqual({ w: 6 });
    expect(t.graph?.space).toBe("t");
    expect([...s.sources.keys()]).toEqual(["two.figs", "<--set w>"]);
    expect([...loaded.sources.keys()]).toEqual(["two.figs"]);
  });

  it("never throws: an exception while loading is an internal error (FIGS9999)", () => {
    const host: Host = {
      stdlibDir: "stdlib",
      readFile: () => {
        throw new Error("disk on fire");
      },
    };
    const result = compile({ path: "s.figs", text: root }, { host });
    expect(result.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ["FIGS9999", "internal error while loading (disk on fire); please report it"],
    ]);
    expect(result.ir).toBeUndefined();
  });

  it("a parse cache gives imported files parsed by an earlier load, while their text is the same", () => {
    const files = { "lib.figs": library };
    const cache: ParseCache = new Map();
    const first = load({ path: "a.figs", text: root }, memoryHost(files), cache);
    const second = load({ path: "b.figs", text: root }, memoryHost(files), cache);
    const lib = (result: typeof first) => result.modules.find((m) => m.path === "lib.figs")?.program;
    expect(lib(second)).toBe(lib(first));
    expect([...cache.keys()]).toEqual(["lib.figs"]);
    files["lib.figs"] = `${library}\n`;
    const changed = load({ path: "c.figs", text: root }, memoryHost(files), cache);
    expect(lib(changed)).not.toBe(lib(first));
    expect(changed.sources.get("lib.figs")?.text).toBe(`${library}\n`);
  });
});

describe("compileEachSpace", () => {
  const three = `${library}${space("s1")}${space("s2")}${space("s3")}`;

  it("loads once and runs the masks stage of every space", () => {
    const host = memoryHost();
    const result = compileEachSpace({ path: "three.figs", text: three }, { host });
    expect(result.diagnostics).toEqual([]);
    expect(result.products.load?.modules.map((m) => m.path)).toEqual(["three.figs"]);
    expect(host.reads).toEqual([]);
  });

  it("reports a mask problem each space shares once, and only when the masks stage runs", () => {
    const add =
      "block mixed() {\n  conv(1, 4)\n  branches {\n    dwconv(3, multiplier: 2)\n    conv(1, 8)\n" +
      "  } aggregate sum\n}\n";
    const spaces = [1, 2].map((i) => `space s${i}() {\n  input(4, 4, 3) -> mixed\n}\n`).join("");
    const masks = compileEachSpace({ path: "m.figs", text: `${add}${spaces}` }, { host: memoryHost() });
    expect(masks.diagnostics.map((d) => d.code)).toEqual(["FIGS3501"]);
    const elaborated = compileEachSpace(
      { path: "m.figs", text: `${add}${spaces}` },
      { host: memoryHost(), until: "elaborate" },
    );
    expect(elaborated.diagnostics).toEqual([]);
  });

  it("checks a file without spaces as a library", () => {
    const result = compileEachSpace(
      { path: "lib.figs", text: "block b() {\n  relu -> nowhere\n}\n" },
      { host: memoryHost() },
    );
    expect(result.diagnostics.map((d) => d.code)).toEqual(["FIGS2001"]);
  });
});
