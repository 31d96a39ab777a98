// Shared by the baseline tests: running `figs sample` / `figs scale` in-process and checking what they wrote.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { expect } from "vitest";
import { compile } from "../../compiler/index.js";
import { main } from "../../cli/main.js";
import { ARCH_FILE, FIGS_FILE, loadModelFromDirectory, readArch, type ArchJson } from "../../runtime/export/index.js";
import { memoryIo } from "../cli/helpers.js";

export interface CliRun {
  readonly exit: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `figs ARGS…` with the repo as working folder (so `spaces/…` resolves). */
export async function figs(...argv: string[]): Promise<CliRun> {
  const memory = memoryIo();
  const exit = await main(argv, memory.io);
  return { exit, stdout: memory.stdout(), stderr: memory.stderr() };
}

export const SMALL_ONE_SHOT = "size=28,F=8,cells=4,blocks=2";

/**
 * The checks every exported baseline must pass: arch.json validates, pruned.figs
 * compiles back to exactly its costs in both conventions, and the model opens
 * with as many parameters as the Keras convention counts.
 */
export async function expectValidExport(dir: string): Promise<ArchJson> {
  const read = readArch(join(dir, ARCH_FILE));
  expect(read.diagnostics, dir).toEqual([]);
  const arch = read.arch!;
  const figsText = readFileSync(join(dir, FIGS_FILE), "utf8");
  for (const convention of ["torch", "keras"] as const) {
    const back = compile({ path: FIGS_FILE, text: figsText }, { convention });
    expect(
      back.diagnostics.filter((d) => d.severity === "error"),
      `${dir} ${convention}`,
    ).toEqual([]);
    expect(back.ir!.costs.full.params, `${dir} ${convention} params`).toBe(arch.costs[convention].params);
    expect(back.ir!.costs.full.madds, `${dir} ${convention} madds`).toBe(arch.costs[convention].madds);
  }
  expect(existsSync(join(dir, "weights.bin"))).toBe(true);
  const loaded = await loadModelFromDirectory(dir);
  expect(loaded.diagnostics).toEqual([]);
  expect(loaded.model!.countParams()).toBe(arch.costs.keras.params);
  loaded.model!.dispose();
  return arch;
}

export async function useCpu(): Promise<void> {
  await tf.setBackend("cpu");
  await tf.ready();
}

/** The printed table without its last line, which names the (temporary) output folder. */
export function tableOf(stdout: string): string {
  const lines = stdout.trimEnd().split("\n");
  expect(lines[lines.length - 1]).toMatch(/^wrote \d+ architectures? to /);
  return lines.slice(0, -1).join("\n") + "\n";
}
