/**
 * Exact totals past 2^53. Costs are computed with doubles, which hold every
 * integer up to Number.MAX_SAFE_INTEGER (2^53 − 1) and skip integers above
 * it: `conv(3, 2**26) -> conv(3, 2**26)` has 2,594,073,501,329,522,688 madds,
 * and the double nearest to that is 2,594,073,501,329,522,700 as printed. A
 * total that is a safe integer is exact (every term is a positive integer no
 * larger than it); one past 2^53 is recomputed here with bigints, from the
 * polynomial, when all its coefficients are safe integers. Fractional
 * coefficients cannot be, and such totals are marked rounded (grouped convs
 * no longer make any: their masks are shared by the groups, so the sizes the
 * k²/G of a term multiplies are multiples of G, compiler/masks/segments.ts).
 */
import type { GatedVariable, MaskGroup } from "../masks/types.js";
import { expandSizes } from "./gated.js";
import type { CostMetric, CostTotals } from "./model.js";
import { unpairKey, type Polynomial } from "./polynomial.js";
import { formatNumber } from "./format.js";

/** A double that may stand for a rounded integer. */
export function isPastSafe(value: number): boolean {
  return Math.abs(value) > Number.MAX_SAFE_INTEGER;
}

/**
 * A coefficient as a fraction n/d with a small d (a grouped conv's k²/G), or
 * undefined when it is not one.
 */
export function smallFraction(coefficient: number): { readonly n: bigint; readonly d: bigint } | undefined {
  if (Number.isSafeInteger(coefficient)) return { n: BigInt(coefficient), d: 1n };
  for (let d = 2; d <= 4096; d++) {
    const n = Math.round(coefficient * d);
    if (Number.isSafeInteger(n) && Math.abs(n - coefficient * d) < 1e-6) return { n: BigInt(n), d: BigInt(d) };
  }
  return undefined;
}

/** The polynomial at integer sizes, exactly; undefined when a coefficient is not a safe integer. */
export function exactValue(polynomial: Polynomial, size: (group: number) => number): bigint | undefined {
  if (!Number.isSafeInteger(polynomial.constant)) return undefined;
  let total = BigInt(polynomial.constant);
  for (const [group, coefficient] of polynomial.linear) {
    if (!Number.isSafeInteger(coefficient)) return undefined;
    total += BigInt(coefficient) * BigInt(size(group));
  }
  for (const [key, coefficient] of polynomial.bilinear) {
    if (!Number.isSafeInteger(coefficient)) return undefined;
    const [a, b] = unpairKey(key);
    total += BigInt(coefficient) * BigInt(size(a)) * BigInt(size(b));
  }
  return total;
}

/** The totals past 2^53, exactly where possible; the others are listed as rounded. */
export interface ExactTotals {
  readonly exact: Partial<Record<CostMetric, bigint>>;
  readonly rounded: readonly CostMetric[];
}

/**
 * Sizes by variable id as CostModel.atWidths reads them: groups without masks
 * keep their size; gated sizes (gated.ts) follow from the groups'.
 */
export function sizesAt(
  groups: readonly MaskGroup[],
  widths: ArrayLike<number>,
  gated: readonly GatedVariable[] = [],
): (variable: number) => number {
  const sizes = expandSizes({ groupCount: groups.length, gated }, (group) => {
    const g = groups[group];
    return g && !g.searchable ? g.size : (widths[group] as number);
  });
  return (variable) => sizes[variable] as number;
}

export function exactTotals(
  polynomials: { readonly params: Polynomial; readonly madds: Polynomial },
  totals: CostTotals,
  size: (group: number) => number,
): ExactTotals {
  const exact: Partial<Record<CostMetric, bigint>> = {};
  const rounded: CostMetric[] = [];
  const params = isPastSafe(totals.params) ? exactValue(polynomials.params, size) : undefined;
  const madds = isPastSafe(totals.madds) || isPastSafe(totals.flops) ? exactValue(polynomials.madds, size) : undefined;
  if (params !== undefined) exact.params = params;
  else if (isPastSafe(totals.params)) rounded.push("params");
  if (madds !== undefined && isPastSafe(totals.madds)) exact.madds = madds;
  else if (isPastSafe(totals.madds)) rounded.push("madds");
  if (madds !== undefined && isPastSafe(totals.flops)) exact.flops = 2n * madds;
  else if (isPastSafe(totals.flops)) rounded.push("flops");
  return { exact, rounded };
}

/** A count as figs prints it: the exact integer when known, `≈` before a double that is rounded. */
export function formatCount(value: number, exact?: bigint): string {
  if (exact !== undefined) return exact.toLocaleString("en-US");
  return isPastSafe(value) ? `≈${formatNumber(value)}` : formatNumber(value);
}

/** JSON has no bigints: exact values go out as strings of digits. */
export function exactJson(exact: Partial<Record<CostMetric, bigint>>): Partial<Record<CostMetric, string>> {
  return Object.fromEntries(Object.entries(exact).map(([metric, value]) => [metric, value.toString()]));
}
