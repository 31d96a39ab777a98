/**
 * The outcome of an operation a user's input can make fail: its value, or
 * the diagnostic that says why not. One convention for the runtime and the
 * command line (options, data, checkpoints, run folders, writes), in place
 * of `{ok, reason}`, `{ok, message}` or `T | string`.
 */
import type { Diagnostic } from "./diagnostic.js";

export type Result<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly diagnostic: Diagnostic };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function failed<T>(diagnostic: Diagnostic): Result<T> {
  return { ok: false, diagnostic };
}
