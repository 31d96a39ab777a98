/** Cost polynomials in readable form: `params = 864·S[stem] + 9·S[stem]·S[c0/sep] + … + 1,234`. */
import type { GatedVariable, MaskGroup } from "../masks/types.js";
import type { Polynomial } from "./polynomial.js";

export function formatPolynomial(
  name: string,
  polynomial: Polynomial,
  groups: readonly MaskGroup[],
  gated: readonly GatedVariable[] = [],
): string {
  const json = polynomial.toJson();
  const group = (g: number): string => `S[${groups[g]?.name ?? `g${g}`}]`;
  const symbol = (v: number): string => {
    const variable = gated[v - groups.length];
    if (!variable) return group(v);
    return [group(variable.group), ...variable.gates.map((z) => `z[${groups[z]?.name ?? `g${z}`}]`)].join("·");
  };
  const terms: string[] = [];
  for (const [g, c] of json.linear) terms.push(term(c, symbol(g)));
  for (const [a, b, c] of json.bilinear) terms.push(term(c, a === b ? `${symbol(a)}²` : `${symbol(a)}·${symbol(b)}`));
  if (json.constant !== 0 || terms.length === 0) terms.push(formatNumber(json.constant));
  return `${name} = ${terms.join(" + ").replace(/\+ -/g, "- ")}`;
}

function term(coefficient: number, symbols: string): string {
  return coefficient === 1 ? symbols : `${formatNumber(coefficient)}·${symbols}`;
}

/** Integers with thousands separators; fractions (grouped convs) with up to 6 significant digits. */
export function formatNumber(value: number): string {
  if (Number.isInteger(value)) return value.toLocaleString("en-US");
  return Number(value.toPrecision(6)).toLocaleString("en-US", { maximumSignificantDigits: 6 });
}
