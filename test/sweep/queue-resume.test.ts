// A job retried by a worker continues from the checkpoint its first attempt left in out/ (`figs search
// --resume --out out`), and ends with the arch.json an uninterrupted run exports. Here the first attempt
// is a search whose export was lost (its worker died between the last checkpoint and the export).
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { jobFolder, planSweep, startJob } from "../../runtime/sweep/index.js";
import { prepareJob } from "../../runtime/sweep/store.js";
import { exited } from "../cli-runtime/helpers.js";
import { spawn } from "node:child_process";

const root = mkdtempSync(join(tmpdir(), "figs-queue-resume-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const FIGS: [string, ...string[]] = [process.execPath, "--import", "tsx", resolve("cli/main.ts")];

describe("a retried job with a checkpoint", () => {
  it("is resumed from it, and exports what an uninterrupted run does", async () => {
    const { plan } = planSweep(resolve("test/fixtures/sweeps/queue.json"));
    const search = plan!.jobs.find((job) => job.kind === "search")!;
    const dir = join(root, "sweep");
    const folder = prepareJob(dir, search);
    expect(folder.ok).toBe(true);
    const out = join(jobFolder(dir, search.key), "out");
    const first = spawn(FIGS[0], [...FIGS.slice(1), ...search.args, "--checkpoint-every", "1", "--out", out], {
      stdio: "ignore",
    });
    expect(await exited(first)).toBe(0);
    copyFileSync(join(out, "export", "arch.json"), join(root, "uninterrupted.json"));
    rmSync(join(out, "export"), { recursive: true });

    const again = startJob({ dir, sweep: "queue", figs: FIGS }, search, { resume: true });
    expect(again.resumed).toBe(true);
    const ending = await again.ending;
    expect(ending).toMatchObject({ status: "ended", state: { state: "done" } });
    expect(readFileSync(join(out, "export", "arch.json"), "utf8")).toBe(
      readFileSync(join(root, "uninterrupted.json"), "utf8"),
    );
    expect(readFileSync(join(jobFolder(dir, search.key), "log.txt"), "utf8")).toContain("exported to");

    // A finished folder is not resumed (nor is a job without a checkpoint): it runs from the start.
    const fresh = startJob({ dir, sweep: "queue", figs: FIGS }, search, { resume: true });
    expect(fresh.resumed).toBe(false);
    expect(await fresh.ending).toMatchObject({ status: "ended", state: { state: "done" } });
    expect(existsSync(join(out, "checkpoint"))).toBe(true);
  }, 120_000);
});
