// cli/progress.ts: redraws one line on a terminal, prints a line every N
// steps elsewhere; the ETA comes from the time per step so far.
import { describe, expect, it } from "vitest";
import { compact, duration, ProgressBar } from "../../cli/progress.js";

function stream(isTTY: boolean): { write: (t: string) => void; isTTY: boolean; text: () => string } {
  const parts: string[] = [];
  return { write: (t) => void parts.push(t), isTTY, text: () => parts.join("") };
}

describe("ProgressBar", () => {
  it("prints a line every N steps and at the end when not on a terminal", () => {
    const out = stream(false);
    let now = 0;
    const bar = new ProgressBar({ stream: out, every: 5, now: () => now });
    for (let step = 1; step <= 12; step++) {
      now += 1000;
      bar.update({ step, total: 12, loss: 0.5, accuracy: 0.25, expectedCost: 45_600, lambda: 2e-5 });
    }
    bar.finish();
    const lines = out.text().trimEnd().split("\n");
    expect(lines.map((l) => l.split("  ")[0])).toEqual(["step 5/12", "step 10/12", "step 12/12"]);
    expect(lines[0]).toContain("loss 0.5000  acc 25.0%  E[cost] 45.6k  λ 2.00e-5  ETA 6s");
    expect(lines[2]).toContain("[####################]");
  });

  it("prints on crossing a multiple of N when updates skip steps, and the last step once", () => {
    const out = stream(false);
    const bar = new ProgressBar({ stream: out, every: 10, now: () => 0 });
    for (const step of [3, 8, 13, 14, 27, 29, 31, 40, 40, 40]) bar.update({ step, total: 40, loss: 1, accuracy: 0 });
    const lines = out.text().trimEnd().split("\n");
    expect(lines.map((l) => l.split("  ")[0])).toEqual(["step 13/40", "step 27/40", "step 31/40", "step 40/40"]);
  });

  it("redraws in place on a terminal and ends the line when finished", () => {
    const out = stream(true);
    const bar = new ProgressBar({ stream: out, now: () => 0 });
    bar.update({ step: 1, total: 3, loss: 1, accuracy: 0 });
    bar.update({ step: 2, total: 3, loss: 1, accuracy: 0 });
    bar.finish();
    expect(out.text().startsWith("\rstep 1/3")).toBe(true);
    expect(out.text().split("\r")).toHaveLength(3);
    expect(out.text().endsWith("\n")).toBe(true);
  });

  it("formats amounts and durations compactly", () => {
    expect([compact(999), compact(45_600), compact(1_234_567), compact(2.5e9)]).toEqual([
      "999",
      "45.6k",
      "1.23M",
      "2.50G",
    ]);
    expect([duration(42_000), duration(185_000), duration(3_720_000)]).toEqual(["42s", "3m05s", "1h02m"]);
  });
});
