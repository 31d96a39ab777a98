// cli/side-by-side.ts: children run at once, each with its log; one bar
// sums their steps from metrics.jsonl; exit codes come back per child; a
// signal stops them all. The children here are a stand-in for figs: a
// script that writes metrics lines to its --out folder.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { combinedProgress, lastMetrics, runSideBySide, type ChildRun } from "../../cli/side-by-side.js";

// args: steps exitCode delayMs --out DIR
const FAKE_FIGS = `
import { appendFileSync, mkdirSync } from "node:fs";
const [steps, exitCode, delay, , out] = process.argv.slice(2);
mkdirSync(out, { recursive: true });
console.log("fake figs, stop-with-parent=" + process.env.FIGS_STOP_WITH_PARENT);
console.log("start " + Date.now());
process.on("SIGTERM", () => { console.log("stopping"); process.exit(130); });
let step = 0;
const next = () => {
  if (step === Number(steps)) { console.log("done " + Date.now()); process.exit(Number(exitCode)); }
  appendFileSync(out + "/metrics.jsonl", JSON.stringify({ step, loss: 1 / (step + 1), accuracy: 0.5 }) + "\\n");
  step += 1;
  setTimeout(next, Number(delay));
};
next();
`;

let dir = "";
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "figs-side-by-side-"));
  writeFileSync(join(dir, "fake-figs.mjs"), FAKE_FIGS);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function run(name: string, steps: number, exitCode: number, delayMs: number): ChildRun {
  const out = join(dir, name);
  return { args: [String(steps), String(exitCode), String(delayMs), "--out", out], out, log: `${out}.log`, steps };
}

function capture(): { io: Parameters<typeof runSideBySide>[0]; stderr: () => string } {
  const parts: string[] = [];
  const stream = { write: (text: string) => void parts.push(text), isTTY: false };
  const io = { stdout: stream, stderr: stream, cwd: dir, env: {}, readStdin: () => Promise.resolve(new Uint8Array()) };
  return { io, stderr: () => parts.join("") };
}

describe("runSideBySide", () => {
  it("runs the children at once, each with its own log, and gives each one's exit code", async () => {
    const runs = [run("a", 30, 0, 5), run("b", 20, 1, 5)];
    const { io, stderr } = capture();
    const figs: [string, string] = [process.execPath, join(dir, "fake-figs.mjs")];
    const ending = await runSideBySide(io, runs, { figs, label: "both", pollMs: 20 });
    expect(ending).toEqual({ exitCodes: [0, 1], stopped: false });
    expect(readFileSync(runs[0]!.log, "utf8")).toContain("fake figs, stop-with-parent=1");
    expect(readFileSync(runs[1]!.log, "utf8")).toContain("done");
    expect(stderr().trimEnd().split("\n").at(-1)).toMatch(/^both 50\/50 /);
    // At once, not one after the other: each started before the other was done.
    const [a, b] = runs.map((r) => {
      const log = readFileSync(r.log, "utf8");
      return { start: Number(/start (\d+)/.exec(log)![1]), done: Number(/done (\d+)/.exec(log)![1]) };
    });
    expect(a!.start).toBeLessThan(b!.done);
    expect(b!.start).toBeLessThan(a!.done);
  });

  it("stops every child on SIGTERM, and says so", async () => {
    const runs = [run("a", 10_000, 0, 10), run("b", 10_000, 0, 10)];
    const { io, stderr } = capture();
    const figs: [string, string] = [process.execPath, join(dir, "fake-figs.mjs")];
    const running = runSideBySide(io, runs, { figs, label: "both", pollMs: 20 });
    while (runs.some((r) => lastMetrics(r.out) === undefined)) await new Promise((r) => setTimeout(r, 20));
    process.emit("SIGTERM", "SIGTERM");
    const ending = await running;
    expect(ending).toEqual({ exitCodes: [130, 130], stopped: true });
    expect(stderr()).toContain("SIGTERM: stopping the runs");
    expect(readFileSync(runs[1]!.log, "utf8")).toContain("stopping");
  });
});

describe("the bar's values", () => {
  it("reads the last complete line of metrics.jsonl, and nothing before the first", () => {
    const out = join(dir, "run");
    expect(lastMetrics(out)).toBeUndefined();
    mkdirSync(out);
    const lines = [0, 1, 2].map((step) => JSON.stringify({ step, loss: step, accuracy: 0.1 * step }));
    writeFileSync(join(out, "metrics.jsonl"), `${lines.join("\n")}\n{"step": 3, "lo`);
    expect(lastMetrics(out)).toEqual({ step: 2, loss: 2, accuracy: 0.2 });
  });

  it("sums the children's steps and averages the loss and accuracy of those that started", () => {
    const runs = [run("a", 100, 0, 0), run("b", 50, 0, 0), run("c", 10, 0, 0)];
    const values = combinedProgress(runs, [
      { step: 9, loss: 1, accuracy: 0.5 },
      { step: 19, loss: 3, accuracy: 0.7 },
      undefined,
    ]);
    expect(values).toEqual({ step: 30, total: 160, loss: 2, accuracy: 0.6 });
  });
});
