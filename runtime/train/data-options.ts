/**
 * The checks of the data options search and retrain share: augmentation
 * (--crop, --flip) and the validation split (--validation), for values from
 * the command line and for values read back from run.json or retrain.json,
 * which users can edit.
 */
import { fail, ok, type Result } from "../data/errors.js";
import type { ValidationSpec } from "../data/split.js";

/** What is wrong with the augmentation settings, if anything. */
export function augmentProblem(settings: { readonly cropPadding: number; readonly flip: boolean }): string | undefined {
  if (!(Number.isInteger(settings.cropPadding) && settings.cropPadding >= 0)) {
    return `--crop must be a non-negative integer (pixels of padding), got ${settings.cropPadding}`;
  }
  return typeof settings.flip === "boolean" ? undefined : `flip must be true or false, got ${String(settings.flip)}`;
}

/** A recorded validation split (absent in runs from before the option: none), or what is wrong with it. */
export function checkValidation(value: unknown): Result<ValidationSpec | null> {
  if (value === undefined || value === null) return ok(null);
  const spec = value as { fraction?: unknown; count?: unknown };
  if (typeof spec.fraction === "number" && spec.fraction > 0 && spec.fraction < 1)
    return ok({ fraction: spec.fraction });
  if (typeof spec.count === "number" && Number.isInteger(spec.count) && spec.count >= 1)
    return ok({ count: spec.count });
  return fail(
    "invalidOption",
    "validation",
    `the validation split must be { "count": N } or { "fraction": F }, got ${JSON.stringify(value)}`,
  );
}
