/**
 * `figs retrain arch.json|pruned.figs`: train an exported architecture from
 * scratch, report its test accuracy and save the trained LayersModel
 * (runtime/retrain). The output directory holds retrain.json (what was
 * asked, so --resume continues the same run), metrics.jsonl, checkpoint/,
 * model.json + weights.bin and result.json. The command is its options and
 * help; what it does is cli/runs/retrain.ts.
 */
import type { Command } from "../command.js";
import { RUN_OPTIONS } from "../run-common.js";
import { runRetrainCommand } from "../runs/retrain.js";
import { LAZY_SUMMARIES } from "./summaries.js";

export const retrainCommand: Command = {
  name: "retrain",
  summary: LAZY_SUMMARIES.retrain,
  usage:
    "arch.json|pruned.figs [--data D] [--epochs N | --steps N] [--validation N] [--crop N] [--flip] [--out DIR] " +
    "| --resume --out DIR",
  description: [
    "Builds the architecture of an arch.json (compiling the space it records, which must be",
    "unchanged; --space FILE reads it from elsewhere) or of a pruned .figs, trains it from",
    "fresh weights, prints the test accuracy and saves DIR/model.json + weights.bin.",
    "Its size is printed in both conventions: torch (batch norm 2·C) and keras (4·C, tfjs countParams).",
    "DIR also holds retrain.json (what was asked), metrics.jsonl, checkpoint/ and result.json.",
    "Ctrl-C saves a checkpoint and stops; --resume continues from the last checkpoint",
    "with the settings saved in DIR/retrain.json (only --backend and --threads may be given).",
    "",
    "Exit status: 0 done, 1 bad input (diagnostics), 2 internal error, 130 stopped by a signal.",
  ].join("\n"),
  options: {
    ...RUN_OPTIONS,
    out: {
      ...RUN_OPTIONS.out,
      description:
        "the output directory (default retrain-<ARCH>: its file name without .json or .figs, e.g. retrain-arch); " +
        "must not exist, unless --resume or --force",
    },
    space: {
      type: "string",
      valueName: "FILE",
      description: "for an arch.json: the space file, if not at the path it records",
    },
  },
  examples: [
    {
      command: "figs retrain search-mnist_convnet/export/arch.json --epochs 2",
      says:
        "trains what 'figs search spaces/mnist_convnet.figs' found from scratch, prints its test accuracy; " +
        "writes retrain-arch/",
    },
    {
      command: "figs retrain mnist_convnet-x0.5/pruned.figs --epochs 1 --limit 10000 --out retrain-x0.5",
      says: "trains the baseline 'figs scale spaces/mnist_convnet.figs --width 0.5' wrote, on 10000 images",
    },
    {
      command: "figs retrain --resume --out retrain-arch",
      says: "continues a retraining stopped by Ctrl-C from its last checkpoint",
    },
  ],
  run: runRetrainCommand,
};
