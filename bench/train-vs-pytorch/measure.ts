// Shared shape of one benchmark measurement and the timing helper.
export interface Measurement {
  impl: string;
  version: string;
  threads: number;
  params: number;
  stepMs: number;
  forwardMs: number;
  imagesPerSec: number;
  peakRssMb: number;
  backend?: string;
  /** What was stepped: the plain net, or with --search the masked supernet's search step. */
  kind?: "plain" | "search";
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function medianMs(fn: () => void, steps: number): number {
  const times: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

export async function medianMsAsync(fn: () => Promise<unknown>, steps: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

/** Parses the last JSON object line a child process printed. */
export function lastJsonLine(stdout: string): Measurement | null {
  const lines = stdout.split("\n").filter((l) => l.trim().startsWith("{"));
  const last = lines[lines.length - 1];
  return last === undefined ? null : (JSON.parse(last) as Measurement);
}

export function flag(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1]! : fallback;
}
