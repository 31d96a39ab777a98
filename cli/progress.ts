/**
 * A progress bar for long training runs: step, loss, accuracy, E[cost], λ
 * and the time left. On a terminal it redraws one line in place; elsewhere
 * (CI logs, pipes, tests) it prints a plain line every `every` steps and at
 * the last step, so logs stay readable.
 */
import type { OutputStream } from "./io.js";

export interface ProgressValues {
  readonly step: number;
  readonly total: number;
  readonly loss: number;
  readonly accuracy: number;
  readonly expectedCost?: number;
  readonly lambda?: number;
}

export interface ProgressOptions {
  readonly stream: OutputStream;
  /** Lines every this many steps when not on a terminal. */
  readonly every?: number;
  readonly label?: string;
  /** Milliseconds since some origin; injectable so tests control the ETA. */
  readonly now?: () => number;
}

const BAR_WIDTH = 20;

export class ProgressBar {
  private readonly stream: OutputStream;
  private readonly every: number;
  private readonly label: string;
  private readonly now: () => number;
  private started: { step: number; at: number } | undefined;
  private drawn = false;
  /** The step ÷ `every` of the last plain line: a line is due when an update crosses into a new one. */
  private printedBucket: number | undefined;
  private printedLast = false;

  constructor(options: ProgressOptions) {
    this.stream = options.stream;
    this.every = Math.max(1, options.every ?? 25);
    this.label = options.label ?? "step";
    this.now = options.now ?? Date.now;
  }

  update(values: ProgressValues): void {
    // The ETA counts from the first update: a resumed run's earlier steps took no time here.
    this.started ??= { step: values.step - 1, at: this.now() };
    const line = this.format(values);
    if (this.stream.isTTY) {
      this.stream.write(`\r${line}\u001b[K`);
      this.drawn = true;
    } else {
      // Updates may skip steps (several runs polled at once): print on crossing a multiple of `every`.
      const bucket = Math.floor(values.step / this.every);
      this.printedBucket ??= Math.floor((values.step - 1) / this.every);
      const last = values.step === values.total;
      if (bucket > this.printedBucket || (last && !this.printedLast)) {
        this.stream.write(`${line}\n`);
        this.printedBucket = bucket;
        this.printedLast = last;
      }
    }
  }

  /** Ends the redrawn line, so what follows starts on a line of its own. */
  finish(): void {
    if (this.drawn) this.stream.write("\n");
    this.drawn = false;
  }

  format(values: ProgressValues): string {
    const fraction = values.total > 0 ? Math.min(1, values.step / values.total) : 1;
    const filled = Math.round(fraction * BAR_WIDTH);
    const bar = `[${"#".repeat(filled)}${"-".repeat(BAR_WIDTH - filled)}]`;
    const parts = [
      `${this.label} ${values.step}/${values.total}`,
      bar,
      `loss ${values.loss.toFixed(4)}`,
      `acc ${(100 * values.accuracy).toFixed(1)}%`,
      ...(values.expectedCost === undefined ? [] : [`E[cost] ${compact(values.expectedCost)}`]),
      ...(values.lambda === undefined ? [] : [`λ ${values.lambda.toExponential(2)}`]),
      `ETA ${this.eta(values)}`,
    ];
    return parts.join("  ");
  }

  private eta(values: ProgressValues): string {
    const started = this.started;
    const done = started === undefined ? 0 : values.step - started.step;
    if (started === undefined || done <= 0) return "?";
    const perStep = (this.now() - started.at) / done;
    return duration((values.total - values.step) * perStep);
  }
}

/** 1234567 → 1.23M; 45600 → 45.6k. */
export function compact(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e9) return `${(value / 1e9).toFixed(2)}G`;
  if (abs >= 1e6) return `${(value / 1e6).toFixed(2)}M`;
  if (abs >= 1e3) return `${(value / 1e3).toFixed(1)}k`;
  return value.toFixed(0);
}

/** Milliseconds → `1h02m`, `3m05s`, `42s`. */
export function duration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, "0")}m`;
  if (m > 0) return `${m}m${String(s).padStart(2, "0")}s`;
  return `${s}s`;
}
