/**
 * Widths of an exported architecture, one per IR group: ⌊Σπ⌋ over the
 * group's masks after search (paper §3.2), or given by the caller.
 * Groups without masks keep their size.
 */
import { codeOf } from "../../diagnostics/codes.js";
import { error, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { SourceFile } from "../../diagnostics/source.js";
import type { Ir } from "../../compiler/ir/types.js";

/**
 * ⌊Σ_{i∈g} π_i⌋ for every searchable group, summed in double precision. A
 * sum within 1e-9 below an integer counts as that integer, so π read back from
 * float32 (e.g. all ones) does not lose a channel to rounding.
 */
export function widthsFromPi(ir: Ir, pi: ArrayLike<number>): Int32Array {
  const widths = new Int32Array(ir.groups.length);
  for (const group of ir.groups) {
    if (!group.searchable || group.offset < 0) {
      widths[group.id] = group.size;
      continue;
    }
    let sum = 0;
    for (let i = group.offset; i < group.offset + group.size; i++) sum += pi[i] as number;
    widths[group.id] = Math.min(group.size, Math.floor(sum + 1e-9));
  }
  return widths;
}

/** Full width: every group at its size. */
export function fullWidths(ir: Ir): Int32Array {
  return Int32Array.from(ir.groups, (g) => g.size);
}

/**
 * Checks caller-given widths against the IR's groups: one integer per group,
 * 0 ≤ w ≤ size, and groups without masks at their size (they cannot shrink).
 */
export function checkWidths(ir: Ir, widths: ArrayLike<number>): Diagnostic[] {
  const at = new SourceFile(`<widths of ${ir.space}>`, "").rangeAt(0, 0);
  const fail = (message: string): Diagnostic[] => [error(codeOf("InvalidWidths"), message, at)];
  if (widths.length !== ir.groups.length) return fail(`expected ${ir.groups.length} widths (one per group of ${ir.space}), got ${widths.length}`);
  for (const group of ir.groups) {
    const width = widths[group.id] as number;
    if (!Number.isInteger(width) || width < 0 || width > group.size) {
      return fail(`the width of group '${group.name}' must be an integer from 0 to ${group.size}, got ${width}`);
    }
    if (!group.searchable && width !== group.size) {
      return fail(`group '${group.name}' has no masks (input image or fixed), so its width stays ${group.size}, got ${width}`);
    }
  }
  return [];
}
