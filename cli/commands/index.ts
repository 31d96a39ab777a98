/**
 * Every `figs` subcommand, in the order `figs --help` lists them. A new
 * command is one file in this folder exporting a `Command`, added here:
 * directly when it is light, as a lazy entry when it pulls in a heavy
 * library (TensorFlow.js, vega), so the other commands start fast.
 */
import type { Command, CommandEntry, LazyCommand } from "../command.js";
import { LAZY_SUMMARIES } from "./summaries.js";
import { checkCommand } from "./check.js";
import { fmtCommand } from "./fmt.js";
import { compileCommand } from "./compile.js";
import { costCommand } from "./cost.js";

function lazy(name: keyof typeof LAZY_SUMMARIES, load: () => Promise<Command>): LazyCommand {
  return { name, summary: LAZY_SUMMARIES[name], load };
}

export const commands: readonly CommandEntry[] = [
  checkCommand,
  fmtCommand,
  compileCommand,
  costCommand,
  lazy("graph", async () => (await import("./graph.js")).graphCommand),
  lazy("lsp", async () => (await import("./lsp.js")).lspCommand),
  lazy("diff", async () => (await import("./diff.js")).diffCommand),
  lazy("sample", async () => (await import("./sample.js")).sampleCommand),
  lazy("scale", async () => (await import("./scale.js")).scaleCommand),
  lazy("search", async () => (await import("./search.js")).searchCommand),
  lazy("export", async () => (await import("./export.js")).exportCommand),
  lazy("retrain", async () => (await import("./retrain.js")).retrainCommand),
  lazy("demo", async () => (await import("./demo.js")).demoCommand),
  lazy("sweep", async () => (await import("./sweep.js")).sweepCommand),
  lazy("worker", async () => (await import("./worker.js")).workerCommand),
];

export function findCommand(name: string, registry: readonly CommandEntry[] = commands): CommandEntry | undefined {
  return registry.find((command) => command.name === name);
}
