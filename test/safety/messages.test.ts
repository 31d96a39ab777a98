// Issue 11, "unclear messages": what a stop signal is told, and a space with
// nothing searchable.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stoppingMessage } from "../../cli/run-common.js";
import { figs } from "../cli-runtime/helpers.js";
import { tempDir, useWasm } from "../runtime/search/helpers.js";

const temp = tempDir("figs-messages-");
beforeAll(() => useWasm());
afterAll(() => temp.remove());

describe("the first stop signal", () => {
  it("is told how to stop at once with the same signal: Ctrl-C for SIGINT, SIGTERM again for SIGTERM", () => {
    expect(stoppingMessage("SIGINT")).toContain("press Ctrl-C again");
    expect(stoppingMessage("SIGTERM")).toContain("send SIGTERM again");
    expect(stoppingMessage("SIGTERM")).not.toContain("Ctrl-C");
  });
});

describe("a space where every group is fixed", () => {
  it("searches with a warning that nothing is searchable", async () => {
    const space = join(temp.dir, "fixed.figs");
    writeFileSync(
      space,
      "space frozen() {\n  input(28, 28, 1)\n  conv(3, 4) fixed -> relu -> global_avgpool -> dense(10) fixed\n}\n",
    );
    const run = await figs([
      "search",
      space,
      "--limit",
      "256",
      "--batch",
      "32",
      "--steps",
      "1",
      "--backend",
      "wasm",
      "--out",
      join(temp.dir, "run"),
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain("warning FIGS5008: nothing in frozen is searchable (every channel group is fixed)");
  });
});
