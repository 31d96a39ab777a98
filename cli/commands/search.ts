/**
 * `figs search SPACE.figs …`: FiGS architecture learning on a dataset, then
 * the export of what it found (runtime/search, docs/search.md). A run
 * directory holds run.json, metrics.jsonl, checkpoint/ and export/. The
 * command is its options and help; what it does is cli/runs/search.ts.
 */
import { DATASET_SPECS } from "../../runtime/data/load.js";
import { DEFAULT_SEARCH } from "../../runtime/search/settings.js";
import type { Command } from "../command.js";
import { SPACE_OPTIONS } from "../compile-args.js";
import { RUN_OPTIONS } from "../run-common.js";
import { runSearchCommand } from "../runs/search.js";
import { LAZY_SUMMARIES } from "./summaries.js";

export const searchCommand: Command = {
  name: "search",
  summary: LAZY_SUMMARIES.search,
  usage:
    "SPACE.figs [--set NAME=VALUE…] [--data D] [--lambda X | --target params=200k] [--steps N | --epochs N] " +
    "[--out DIR] | --resume --out DIR",
  description: [
    "Trains the space's supernet on a dataset with loss = cross-entropy + λ·E[cost](π),",
    "then exports the architecture (widths ⌊Σπ⌋) to DIR/export: arch.json, pruned.figs,",
    "model.json + weights.bin. DIR also holds run.json, metrics.jsonl and checkpoint/.",
    "--target adjusts λ during the search so the export lands within ±5% (docs/search.md).",
    "Ctrl-C saves a checkpoint and stops; --resume continues from the last checkpoint",
    "with the settings saved in DIR/run.json (only --backend and --threads may be given).",
    "",
    "Datasets (--data):",
    ...DATASET_SPECS.map((line) => `  ${line}`),
    "",
    "Exit status: 0 done, 1 bad input (diagnostics), 2 internal error, 130 stopped by a signal.",
  ].join("\n"),
  options: {
    ...SPACE_OPTIONS,
    ...RUN_OPTIONS,
    out: {
      ...RUN_OPTIONS.out,
      description:
        "the run directory (default search-<SPACE>: the space file's name without .figs, e.g. " +
        "search-mnist_convnet); must not exist, unless --resume or --force",
    },
    method: {
      type: "string",
      valueName: "figs|cost-only",
      description:
        "figs (default), or cost-only: the ablation whose ν learns from λ·E[cost] alone, " +
        "the cross-entropy's gradient to ν stopped",
    },
    samples: {
      type: "string",
      valueName: "K",
      description:
        "adaptive sampling (FP-NAS): up to K mask samples per step, each on a slice of the batch, " +
        "fewer as the masks' entropy falls (default 1: one sample)",
    },
    cost: { type: "string", valueName: "params|madds", description: "the cost λ·E[cost] penalises (default params)" },
    lambda: {
      type: "string",
      valueName: "X",
      description: "fixed regularisation strength λ (default 0.1 ÷ the mean cost of a channel)",
    },
    target: {
      type: "string",
      valueName: "KIND=N",
      description: "land the export on a budget, e.g. params=200k or madds=20M (±5%)",
    },
    "arch-lr": {
      type: "string",
      valueName: "X",
      description: `Adam learning rate of the mask logits ν (default ${DEFAULT_SEARCH.archLearningRate})`,
    },
    "arch-eps": {
      type: "string",
      valueName: "X",
      description: `Adam ε of the mask logits ν (default ${DEFAULT_SEARCH.archEpsilon}, the paper's)`,
    },
    "nu-init": {
      type: "string",
      valueName: "X",
      description: `initial mask logit ν of every channel (default ${DEFAULT_SEARCH.initialLogit}, π ≈ 0.92)`,
    },
    temperature: {
      type: "string",
      valueName: "X",
      description:
        `temperature τ of the masks' Logistic-Sigmoid (default ${DEFAULT_SEARCH.temperature}, ` + "no annealing)",
    },
  },
  examples: [
    {
      command: "figs search spaces/mnist_convnet.figs --target params=40k",
      says:
        "learns an architecture of about 40k params on MNIST in search-mnist_convnet/ and exports it to " +
        "search-mnist_convnet/export/",
    },
    {
      command:
        "figs search spaces/mnist_convnet.figs --set width=16,hidden=64 --lambda 3e-4 --limit 2000 --steps 100 " +
        "--out small-run",
      says: "a quick search of a narrower space at a fixed λ, on the first 2000 training images",
    },
    {
      command: "figs search --resume --out search-mnist_convnet",
      says: "continues a search stopped by Ctrl-C from its last checkpoint, with its saved settings",
    },
  ],
  run: runSearchCommand,
};
