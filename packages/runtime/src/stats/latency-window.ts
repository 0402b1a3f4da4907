/**
 * The last N durations of something, for p50/p99 without keeping every sample. The sorted copy is
 * kept until the next sample: the admin page and a `stats()` poll read both quantiles of every
 * module, often with nothing new since the last read, and sorting 1,024 samples twice per module
 * per read would cost the main thread the event path's time.
 */
export class LatencyWindow {
  readonly #samples: Float64Array;
  #count = 0;
  #next = 0;
  #sorted: Float64Array | null = null;

  constructor(size = 1024) {
    this.#samples = new Float64Array(size);
  }

  add(ms: number): void {
    this.#samples[this.#next] = ms;
    this.#next = (this.#next + 1) % this.#samples.length;
    if (this.#count < this.#samples.length) this.#count++;
    this.#sorted = null;
  }

  /** The q-quantile (0..1) of the window, or null when empty. */
  quantile(q: number): number | null {
    if (this.#count === 0) return null;
    this.#sorted ??= this.#samples.slice(0, this.#count).sort();
    return this.#sorted[Math.min(this.#count - 1, Math.floor(q * this.#count))] ?? null;
  }
}
