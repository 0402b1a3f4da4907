/** A worker as the watchdog sees it. */
export interface WatchedWorker {
  readonly dead: boolean;
  /** How long since the worker's event loop last turned, ms. */
  stalledFor(now: number): number;
  /** Why the worker is over its memory cap (Buffers outside the V8 heap), or null. */
  overMemory(): string | null;
  kill(reason: "watchdog" | "out-of-memory", message: string): void;
}

/**
 * Terminates a worker that has made no progress for `limitMs` (its event loop has not turned and
 * it has started no delivered event): it is stuck in a loop the host cannot interrupt any other
 * way. Also terminates a worker holding more Buffer/ArrayBuffer memory than its cap, which V8's
 * heap limit does not count. Reads every worker's heartbeat slot every
 * `min(500, limitMs / 2)` ms, on the main thread.
 */
export class Watchdog {
  readonly limitMs: number;
  readonly #timer: NodeJS.Timeout;
  readonly #workers: () => Iterable<WatchedWorker | null>;

  constructor(limitMs: number, workers: () => Iterable<WatchedWorker | null>) {
    this.limitMs = limitMs;
    this.#workers = workers;
    this.#timer = setInterval(() => this.check(Date.now()), Math.min(500, limitMs / 2));
    this.#timer.unref();
  }

  /** One round: kills every live worker stalled past the limit; returns how many. */
  check(now: number): number {
    let killed = 0;
    for (const worker of this.#workers()) {
      if (!worker || worker.dead) continue;
      const memory = worker.overMemory();
      if (memory) {
        worker.kill("out-of-memory", memory);
        killed++;
        continue;
      }
      const stalled = worker.stalledFor(now);
      if (stalled > this.limitMs) {
        worker.kill("watchdog", `event loop blocked for ${stalled} ms (watchdog limit ${this.limitMs} ms)`);
        killed++;
      }
    }
    return killed;
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
