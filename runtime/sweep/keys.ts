/**
 * A job's key names its folder: the first 16 hex digits of the sha256 of its
 * specification as canonical JSON (object keys sorted, no whitespace). Two
 * jobs share a folder only when everything that makes their result differs
 * in nothing, so a rerun finds a finished job again and never mixes two.
 */
import { createHash } from "node:crypto";

/** JSON with every object's keys sorted; `undefined` fields are left out, as JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([name, item]) => `${JSON.stringify(name)}:${canonicalJson(item)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export const KEY_LENGTH = 16;

export function jobKey(specification: unknown): string {
  return createHash("sha256").update(canonicalJson(specification)).digest("hex").slice(0, KEY_LENGTH);
}
