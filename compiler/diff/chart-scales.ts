/**
 * The chart's log axes: a domain fitted to the points (a small margin, not
 * whole decades of empty space, which is what a "nice" log scale rounds out
 * to) and tick values on the 1-2-5 sequence inside it.
 */

/** Margin on each side, as a share of the data's span in decades (and at least this many decades). */
const MARGIN_SHARE = 0.05;
const MIN_MARGIN_DECADES = 0.02;

/** [low, high] around the positive values, with a margin in log space, rounded outward to 3 significant digits. */
export function logDomain(values: Iterable<number>): [number, number] {
  let low = Infinity;
  let high = -Infinity;
  for (const value of values) {
    if (!(value > 0) || !Number.isFinite(value)) continue;
    low = Math.min(low, value);
    high = Math.max(high, value);
  }
  if (low === Infinity) return [1, 10];
  const span = Math.log10(high) - Math.log10(low);
  const margin = 10 ** Math.max(MARGIN_SHARE * span, MIN_MARGIN_DECADES);
  return [roundTo3(low / margin, Math.floor), roundTo3(high * margin, Math.ceil)];
}

/** 3 significant digits, rounded by `round` (down for a low end, up for a high end, so the data stays inside). */
function roundTo3(value: number, round: (x: number) => number): number {
  const unit = 10 ** (Math.floor(Math.log10(value)) - 2);
  return Number((round(value / unit) * unit).toPrecision(3));
}

/** Mantissas of the ticks, from sparse to dense: the first that gives at least MIN_TICKS ticks is used. */
const TICK_STEPS: readonly (readonly number[])[] = [[1], [1, 2, 5], [1, 2, 3, 5], [1, 2, 3, 4, 5, 6, 7, 8, 9]];
const MIN_TICKS = 4;

/**
 * Ticks at 1·10^k, 2·10^k, 5·10^k (fewer over many decades, more over a
 * narrow range) inside the domain: round numbers a reader can interpolate
 * between on a log axis. Undefined when even 1…9·10^k leave fewer than two
 * inside (a domain narrower than a step): the plotting library's own ticks then.
 */
export function logTicks([low, high]: readonly [number, number]): number[] | undefined {
  let ticks: number[] = [];
  for (const mantissas of TICK_STEPS) {
    ticks = ticksWith(mantissas, low, high);
    if (ticks.length >= MIN_TICKS) return ticks;
  }
  return ticks.length >= 2 ? ticks : undefined;
}

function ticksWith(mantissas: readonly number[], low: number, high: number): number[] {
  const ticks: number[] = [];
  for (let exponent = Math.floor(Math.log10(low)); exponent <= Math.ceil(Math.log10(high)); exponent++) {
    for (const mantissa of mantissas) {
      // Rounded so that 3·10^-1 is 0.3, not 0.30000000000000004.
      const tick = Number((mantissa * 10 ** exponent).toPrecision(12));
      if (tick >= low && tick <= high) ticks.push(tick);
    }
  }
  return ticks;
}
