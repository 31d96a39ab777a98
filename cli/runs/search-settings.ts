/**
 * The settings of a fresh `figs search`, from its options: numbers, --target
 * or --lambda, --cost, augmentation, and --epochs turned into steps once the
 * training set's size is known. A resumed run takes its settings from run.json.
 */
import { failed, ok, type Result } from "../../diagnostics/result.js";
import { checkSearchSettings, DEFAULT_SEARCH, parseTarget, type SearchSettings } from "../../runtime/search/index.js";
import { invalidOption, stringOption, usageProblem, type ParsedArgs } from "../command.js";
import { augmentFrom, numberOption, signedNumberOption } from "../run-common.js";

type Numbers = Record<
  | "lambda"
  | "steps"
  | "batch"
  | "lr"
  | "archLr"
  | "archEps"
  | "seed"
  | "every"
  | "epochs"
  | "nuInit"
  | "temperature"
  | "samples",
  number | undefined
>;

/** The numeric options, each a number or absent, or the first that is not a number. */
function numbersFrom(args: ParsedArgs): Result<Numbers> {
  const parsed = {
    lambda: numberOption(args, "lambda"),
    steps: numberOption(args, "steps"),
    batch: numberOption(args, "batch"),
    lr: numberOption(args, "lr"),
    archLr: numberOption(args, "arch-lr"),
    archEps: numberOption(args, "arch-eps"),
    seed: numberOption(args, "seed"),
    every: numberOption(args, "checkpoint-every"),
    epochs: numberOption(args, "epochs"),
    nuInit: signedNumberOption(args, "nu-init"),
    temperature: numberOption(args, "temperature"),
    samples: numberOption(args, "samples"),
  };
  const values: Partial<Record<keyof Numbers, number | undefined>> = {};
  for (const [name, result] of Object.entries(parsed) as [keyof Numbers, Result<number | undefined>][]) {
    if (!result.ok) return result;
    values[name] = result.value;
  }
  return ok(values as Numbers);
}

const conflict = (message: string): Result<never> => failed(usageProblem("ConflictingOptions", message));

/** The settings a fresh run asks for, or what is wrong with them. */
export function searchSettingsFrom(args: ParsedArgs): Result<SearchSettings> {
  const numbers = numbersFrom(args);
  if (!numbers.ok) return numbers;
  const n = numbers.value;
  const target = stringOption(args, "target");
  const parsed = target === undefined ? ok(undefined) : parseTarget(target);
  if (!parsed.ok) return parsed;
  const parsedTarget = parsed.value;
  if (parsedTarget !== undefined && n.lambda !== undefined)
    return conflict("give either --lambda or --target, not both");
  if (n.steps !== undefined && n.epochs !== undefined) return conflict("give either --steps or --epochs, not both");
  const augment = augmentFrom(args);
  if (!augment.ok) return augment;
  const cost = stringOption(args, "cost") ?? parsedTarget?.cost ?? "params";
  if (cost !== "params" && cost !== "madds") return invalidOption(`--cost must be params or madds, not '${cost}'`);
  if (parsedTarget !== undefined && parsedTarget.cost !== cost)
    return conflict(`--target ${parsedTarget.cost}=… conflicts with --cost ${cost}`);
  const method = stringOption(args, "method") ?? DEFAULT_SEARCH.method;
  if (method !== "figs" && method !== "cost-only")
    return invalidOption(`--method must be figs or cost-only, not '${method}'`);
  const settings: SearchSettings = {
    ...DEFAULT_SEARCH,
    method,
    cost,
    target: parsedTarget?.value ?? null,
    lambda: n.lambda ?? null,
    steps: n.steps ?? DEFAULT_SEARCH.steps,
    batchSize: n.batch ?? DEFAULT_SEARCH.batchSize,
    learningRate: n.lr ?? DEFAULT_SEARCH.learningRate,
    archLearningRate: n.archLr ?? DEFAULT_SEARCH.archLearningRate,
    archEpsilon: n.archEps ?? DEFAULT_SEARCH.archEpsilon,
    seed: n.seed ?? DEFAULT_SEARCH.seed,
    checkpointEvery: n.every ?? DEFAULT_SEARCH.checkpointEvery,
    initialLogit: n.nuInit ?? DEFAULT_SEARCH.initialLogit,
    temperature: n.temperature ?? DEFAULT_SEARCH.temperature,
    samples: n.samples ?? DEFAULT_SEARCH.samples,
    ...augment.value,
  };
  return checkSearchSettings(settings);
}

/** --epochs becomes steps once the training set's size is known; a resumed run keeps its recorded steps. */
export function searchSteps(
  args: ParsedArgs,
  settings: SearchSettings,
  trainCount: number,
  resume: boolean,
): Result<number> {
  const epochs = numberOption(args, "epochs");
  if (!epochs.ok) return resume ? ok(settings.steps) : epochs;
  if (resume || epochs.value === undefined) return ok(settings.steps);
  if (!Number.isInteger(epochs.value) || epochs.value < 1)
    return invalidOption(`--epochs must be a positive integer, got ${epochs.value}`);
  return ok(Math.max(1, epochs.value * Math.floor(trainCount / settings.batchSize)));
}
