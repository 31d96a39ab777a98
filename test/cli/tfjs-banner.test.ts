// `figs scale` and `figs sample` build tfjs models on tfjs's default `cpu`
// backend, which prints "Hi, looks like you are running TensorFlow.js in
// Node.js…" on its first tensor; runtime/backend/quiet.ts keeps it out of
// figs's output (issue #11). Real processes: the banner goes to the
// process's console, which in-process runs do not capture, and prints only
// once per process.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = mkdtempSync(join(tmpdir(), "figs-banner-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function figsProcess(args: readonly string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "cli/main.ts", ...args], { cwd: process.cwd() });
    const chunks: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, output: Buffer.concat(chunks).toString("utf8") }));
  });
}

describe("tfjs's Node banner", () => {
  it.each([
    ["scale", ["spaces/mnist_convnet.figs", "--width", "0.5"]],
    ["sample", ["spaces/mnist_convnet.figs", "--n", "1"]],
  ])("is not printed by figs %s", async (command, args) => {
    const run = await figsProcess([command, ...args, "--out", join(root, command)]);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain("wrote 1 architecture to");
    expect(run.output).not.toContain("Hi, looks like");
    expect(run.output).not.toContain("TensorFlow.js in Node.js");
  });
});
