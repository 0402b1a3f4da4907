/** How an {@link AlertQueue} plays and paces its items. */
export interface AlertQueueOptions<T> {
  /** Plays one item to the end (shows it, waits its duration with `queue.wait`, hides it). */
  play(item: T): Promise<void>;
  /** Pause between two items, in ms. */
  gapMs: number;
  /** Items waiting beyond this are refused. */
  maxQueued: number;
  /** `play` threw: the queue goes on with the next item. */
  onError(item: T, error: unknown): void;
}

/**
 * Plays items one at a time, in arrival order, with a pause between them: a burst waits its turn
 * instead of being dropped or shown on top of itself. Waits are cancellable, so `stop()` ends the
 * current item early (its `play` still runs to the end: a shown source is hidden again).
 */
export class AlertQueue<T> {
  readonly #options: AlertQueueOptions<T>;
  readonly #items: T[] = [];
  readonly #waits = new Set<() => void>();
  #running: Promise<void> | undefined;
  #stopped = false;

  constructor(options: AlertQueueOptions<T>) {
    this.#options = options;
  }

  /** Items waiting (not the one playing). */
  get pending(): readonly T[] {
    return this.#items;
  }

  /** Removes and returns the items waiting (the one playing stays). */
  take(): T[] {
    return this.#items.splice(0);
  }

  /** Queues an item; `false` when the queue is full or stopped. */
  push(item: T): boolean {
    if (this.#stopped || this.#items.length >= this.#options.maxQueued) return false;
    this.#items.push(item);
    this.#running ??= this.#drain().finally(() => {
      this.#running = undefined;
    });
    return true;
  }

  /** Waits `ms`, or less if the queue stops meanwhile. For `play` to pace an item. */
  wait(ms: number): Promise<void> {
    if (this.#stopped || ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#waits.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#waits.add(done);
    });
  }

  /** Stops taking and playing items; resolves when the item playing (if any) has finished. */
  async stop(): Promise<T[]> {
    this.#stopped = true;
    for (const done of [...this.#waits]) done();
    await this.#running;
    return this.#items.splice(0);
  }

  async #drain(): Promise<void> {
    while (!this.#stopped) {
      const item = this.#items.shift();
      if (item === undefined) return;
      try {
        await this.#options.play(item);
      } catch (error) {
        this.#options.onError(item, error);
      }
      await this.wait(this.#options.gapMs);
    }
  }
}
