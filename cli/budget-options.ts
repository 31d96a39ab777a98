/**
 * `--target KIND=N` and `--tolerance P` of `figs scale` and `figs sample`:
 * a budget the baseline lands on (compiler/sample/budget.ts), in the words of
 * `figs search --target`.
 */
import type { Budget } from "../compiler/index.js";
import { parseTarget } from "../runtime/search/settings.js";
import { ok, type Result } from "../diagnostics/result.js";
import { invalidOption, stringOption, type ParsedArgs } from "./command.js";

export const DEFAULT_TOLERANCE = 0.05;

export const BUDGET_OPTIONS = {
  target: {
    type: "string",
    valueName: "KIND=N",
    description: "land on a budget, e.g. params=40k or madds=2M (the exported cost, in --convention)",
  },
  tolerance: {
    type: "string",
    valueName: "P",
    description: `how close to the target, e.g. 5% or 0.05 (default ${100 * DEFAULT_TOLERANCE}%)`,
  },
} as const;

/** The budget of `--target`/`--tolerance`, undefined without `--target`. */
export function budgetOption(args: ParsedArgs): Result<Budget | undefined> {
  const targetText = stringOption(args, "target");
  const toleranceText = stringOption(args, "tolerance");
  if (targetText === undefined) {
    return toleranceText === undefined ? ok(undefined) : invalidOption("--tolerance needs --target KIND=N");
  }
  const target = parseTarget(targetText);
  if (!target.ok) return invalidOption(target.diagnostic.message);
  const tolerance = toleranceText === undefined ? DEFAULT_TOLERANCE : parseTolerance(toleranceText);
  if (tolerance === undefined)
    return invalidOption(`--tolerance must be a share like 5% or 0.05, from 0 to 100%, not '${toleranceText}'`);
  return ok({ metric: target.value.cost, target: target.value.value, tolerance });
}

/** `5%` → 0.05, `0.05` → 0.05; undefined for anything else or outside [0, 1]. */
export function parseTolerance(text: string): number | undefined {
  const match = /^\s*([0-9]*\.?[0-9]+)\s*(%?)\s*$/.exec(text);
  if (!match) return undefined;
  const value = Number(match[1]) / (match[2] === "%" ? 100 : 1);
  return value >= 0 && value <= 1 ? value : undefined;
}
