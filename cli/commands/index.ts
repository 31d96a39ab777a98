/**
 * Every `figs` subcommand, in the order `figs --help` lists them. A new
 * command is one file in this folder exporting a `Command`, added here.
 */
import type { Command } from "../command.js";
import { checkCommand } from "./check.js";
import { fmtCommand } from "./fmt.js";
import { compileCommand } from "./compile.js";
import { costCommand } from "./cost.js";
import { diffCommand } from "./diff.js";
import { searchCommand } from "./search.js";
import { exportCommand } from "./export.js";
import { retrainCommand } from "./retrain.js";
import { demoCommand } from "./demo.js";
import { sampleCommand } from "./sample.js";
import { scaleCommand } from "./scale.js";

export const commands: readonly Command[] = [checkCommand, fmtCommand, compileCommand, costCommand, diffCommand, sampleCommand, scaleCommand, searchCommand, exportCommand, retrainCommand, demoCommand];

export function findCommand(name: string, registry: readonly Command[] = commands): Command | undefined {
  return registry.find((command) => command.name === name);
}
