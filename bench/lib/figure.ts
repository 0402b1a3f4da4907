/** One measured figure, as written to bench/results/latest.json. */
export interface Figure {
  name: string;
  /** Which case of the figure (the module reloaded, `start` or `dev`, the edit made). */
  variant?: string;
  unit: string;
  /** Samples behind median and p99 (runs, reloads, events, rounds). */
  n: number;
  median: number | null;
  p99: number | null;
  baseline: { name: string; median: number } | null;
  ratio: number | null;
  /** From the target table (lib/targets.ts); "-" when the figure has no target. */
  target: string;
  /** From the target table; null when the figure has no target. */
  met: boolean | null;
  /** Measured on a bench stand-in module (bench/modules), not a real one. */
  stand_in?: true;
  /**
   * What went wrong beyond the timing: events lost or duplicated, a failed reload, a broken
   * invariant, a misrouted event. Any entry fails the run, `--quick` included.
   */
  problems?: string[];
  /** What the figure was measured with, and anything needed to read it. */
  note?: string;
  /** Supporting measurements (breakdowns, batching). */
  details?: Record<string, unknown>;
  /** Set when the figure could not be measured at all. */
  error?: string;
}

/** A figure as a measurement returns it: the target table fills in `target` and `met`. */
export type Measured = Omit<Figure, "target" | "met">;

/** Options every figure run gets. */
export interface RunOptions {
  /** Short smoke run: fewer samples, same code paths. */
  quick: boolean;
  /** Progress lines (stderr). */
  log(message: string): void;
}

/** The q-quantile (0..1) of samples, nearest-rank; null when there are none. */
export function quantile(samples: readonly number[], q: number): number | null {
  if (samples.length === 0) return null;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export const median = (samples: readonly number[]) => quantile(samples, 0.5);
export const p99 = (samples: readonly number[]) => quantile(samples, 0.99);

/** Rounds to `digits` significant decimals for display and JSON. */
export function round(value: number | null, digits = 3): number | null {
  if (value === null || !Number.isFinite(value)) return value;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Mean of samples. */
export function mean(samples: readonly number[]): number {
  return samples.reduce((a, b) => a + b, 0) / Math.max(1, samples.length);
}

/** Resolves after `ms`. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Resolves on the next turn of the event loop (after I/O). */
export const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Polls `test` every `everyMs` until it is true; rejects after `timeoutMs` naming `what`. */
export async function until(
  test: () => boolean,
  timeoutMs: number,
  what: string,
  everyMs = 1,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!test()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await (everyMs <= 0 ? nextTurn() : sleep(everyMs));
  }
}
