import type { HostLogger } from "../logger.ts";

/**
 * Where a queue hands its batches: a module worker's `deliver`, acknowledged on receipt. A batch is
 * the entries' JSON strings, in order (posted as they are: structured clone copies an array of flat
 * strings as fast as one joined string, and joining them first cost 0.4-0.55 us per entry).
 */
export interface DeliveryTarget {
  deliver(batch: readonly string[]): Promise<unknown>;
}

/**
 * The ordered, bounded queue of one module. Events are pre-serialised entries; while one batch
 * is in flight the next ones gather, so a burst crosses the thread boundary in a few messages
 * and a lone event goes at once. `pause` waits for the in-flight batch to be acknowledged, which
 * is what lets a reload swap workers without losing or repeating an event.
 */
export class DeliveryQueue {
  readonly capacity: number;
  readonly maxBatch: number;
  #items: string[] = [];
  #head = 0;
  #target: DeliveryTarget | null = null;
  #inFlight: Promise<void> | null = null;
  #paused = false;
  #scheduled = false;
  #onOverflow: (dropped: number) => void;
  /** Entries refused because the queue was full. */
  dropped = 0;
  /** Entries acknowledged by a worker. */
  delivered = 0;

  constructor(options: {
    capacity: number;
    maxBatch?: number;
    onOverflow: (dropped: number) => void;
  }) {
    this.capacity = options.capacity;
    this.maxBatch = options.maxBatch ?? 512;
    this.#onOverflow = options.onOverflow;
  }

  /** True while a batch is out and not yet acknowledged. */
  get inFlight(): boolean {
    return this.#inFlight !== null;
  }

  get length(): number {
    return this.#items.length - this.#head;
  }

  /** Adds an entry; false (and counted, and reported) when the queue is full. */
  push(json: string): boolean {
    if (this.length >= this.capacity) {
      this.dropped++;
      this.#onOverflow(this.dropped);
      return false;
    }
    this.#items.push(json);
    // An idle queue sends at once: a lone event pays no extra turn. While that batch is in flight,
    // the next events gather and leave together when it is acknowledged.
    if (!this.#inFlight && !this.#paused && this.#target && this.length === 1) this.#send();
    else this.#schedule();
    return true;
  }

  /** Sets (or clears) the worker the queue delivers to. */
  setTarget(target: DeliveryTarget | null): void {
    this.#target = target;
    this.#schedule();
  }

  get target(): DeliveryTarget | null {
    return this.#target;
  }

  /**
   * Stops sending and resolves true once no batch is in flight, or false when `timeoutMs` passes
   * first (a worker stuck before it acknowledged; the caller decides what to do with it).
   */
  async pause(timeoutMs = Number.POSITIVE_INFINITY): Promise<boolean> {
    this.#paused = true;
    const deadline = Date.now() + timeoutMs;
    while (this.#inFlight) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        this.#inFlight.then(() => false),
        Number.isFinite(left)
          ? new Promise<boolean>((r) => (timer = setTimeout(() => r(true), left)))
          : new Promise<boolean>(() => {}),
      ]);
      clearTimeout(timer);
      if (timedOut) return false;
    }
    return true;
  }

  resume(): void {
    this.#paused = false;
    this.#schedule();
  }

  /**
   * Rewrites every waiting entry (null drops it); for a reload whose handler table changed.
   * Call it only while paused, so no batch is in flight.
   */
  rewrite(change: (json: string) => string | null): void {
    const kept: string[] = [];
    for (let i = this.#head; i < this.#items.length; i++) {
      const json = change(this.#items[i]!);
      if (json !== null) kept.push(json);
    }
    this.#items = kept;
    this.#head = 0;
  }

  /** Drops everything waiting; returns how many entries were dropped. */
  clear(): number {
    const count = this.length;
    this.#items = [];
    this.#head = 0;
    return count;
  }

  #schedule(): void {
    if (this.#scheduled || this.#inFlight || this.#paused || !this.#target || this.length === 0) return;
    this.#scheduled = true;
    // Entries that arrived while nothing could be sent go in one batch, a microtask later.
    queueMicrotask(() => {
      this.#scheduled = false;
      this.#send();
    });
  }

  #send(): void {
    const target = this.#target;
    if (this.#inFlight || this.#paused || !target || this.length === 0) return;
    const start = this.#head;
    const end = Math.min(this.#items.length, start + this.maxBatch);
    const count = end - start;
    const batch = this.#items.slice(start, end);
    // Sent entries must not stay reachable from the queue: kept, every one of them would survive
    // the young-generation GC and be promoted (most of a flood's GC time).
    if (end === this.#items.length) {
      this.#items = [];
      this.#head = 0;
    } else {
      this.#items.fill("", start, end);
      this.#head = end;
      if (end > 4096 && end * 2 > this.#items.length) {
        this.#items = this.#items.slice(end);
        this.#head = 0;
      }
    }
    this.#inFlight = target.deliver(batch).then(
      () => {
        this.delivered += count;
      },
      (error: { data?: { started?: unknown } }) => {
        // The worker died: the entries it had started are not delivered again (one of them may be
        // what killed it); the rest go back to the front, in order, for the next worker.
        const started = typeof error?.data?.started === "number" ? error.data.started : 0;
        this.delivered += Math.min(started, count);
        if (started < count) this.#items.splice(this.#head, 0, ...batch.slice(started));
        if (this.#target === target) this.#target = null;
      },
    );
    void this.#inFlight.then(() => {
      this.#inFlight = null;
      this.#schedule();
    });
  }
}

/**
 * A module's queue: bounded at `capacity`, overflow counted always and logged on the first drop
 * and then every 100th, so a flood does not flood the log too.
 */
export function moduleQueue(
  module: string,
  capacity: number,
  logger: Pick<HostLogger, "warn">,
): DeliveryQueue {
  return new DeliveryQueue({
    capacity,
    onOverflow: (dropped) => {
      if (dropped === 1 || dropped % 100 === 0)
        logger.warn(`queue full: ${dropped} events dropped so far`, { module });
    },
  });
}
