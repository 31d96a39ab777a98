// The real `figs` process chooses no tfjs backend before a command runs, while importing the commands
// registers wasm (which starts asynchronously): exporting must wait for it rather than crash (exit 2).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { expectValidExport, figs } from "./helpers.js";

const root = mkdtempSync(join(tmpdir(), "figs-baseline-backend-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("baselines on the default backend", () => {
  it("figs scale exports without tf.setBackend having been called", async () => {
    const run = await figs(
      "scale",
      "spaces/mnist_convnet.figs",
      "--set",
      "width=8,hidden=32",
      "--width",
      "0.5",
      "--out",
      join(root, "scaled"),
    );
    expect(run.stderr).not.toContain("internal error");
    expect(run.exit).toBe(0);
    await expectValidExport(join(root, "scaled"));
  });
});
