import { performance } from "node:perf_hooks";
import { measureMemory } from "node:vm";

/**
 * How often an idle worker looks at how busy its thread was, in ms. V8 gives a grown young
 * generation back only in a full GC that finds the allocation rate of the last 5 s low, so the
 * first check after work comes later than that.
 */
export const IDLE_CHECK_MS = 6000;

/**
 * Up to this much is added to {@link IDLE_CHECK_MS}, at random per worker, so workers started
 * together (a host's start) do not all collect at once: ten at once took 2-15 ms each on two
 * cores, one alone 2-3 ms.
 */
export const IDLE_CHECK_JITTER_MS = 3000;

/**
 * The share of an interval the thread may have been busy and still count as idle (120 ms in 6 s).
 * An idle module worker measured 0.2-0.5% (its heartbeat, deadline and memory timers), more on a
 * loaded machine; at 0.1% most idle workers counted as busy and never gave anything back. A module
 * answering a few commands a second counts as idle: once per busy period one of its replies may
 * wait for the GC (2-3 ms).
 */
export const IDLE_UTILIZATION = 0.02;

/** What {@link IdleCompaction} is built from; the defaults are the worker's own thread. */
export interface IdleCompactionOptions {
  /** How busy the thread was since the previous call, 0 to 1 (the first call: since it started). */
  utilization?: () => number;
  /** Runs a full GC in this thread. */
  compact?: () => Promise<unknown>;
  /** How often the idle check runs, in ms; {@link IDLE_CHECK_MS} plus a random jitter by default. */
  intervalMs?: number;
}

/** Event-loop utilization of this thread since the previous call. */
function threadUtilization(): () => number {
  let last = performance.eventLoopUtilization();
  return () => {
    const now = performance.eventLoopUtilization();
    const utilization = performance.eventLoopUtilization(now, last).utilization;
    last = now;
    return utilization;
  };
}

/**
 * One full GC in this thread, from the only API Node has for it without `--expose-gc`: an eager
 * memory measurement starts a full GC at once. Node calls the API experimental and says so once per
 * thread on stderr; that one warning is not the user's concern and is left out (others pass).
 */
function measureEagerly(): Promise<unknown> {
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    if (!String(warning instanceof Error ? warning.message : warning).includes("vm.measureMemory"))
      (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    return measureMemory({ mode: "summary", execution: "eager" });
  } finally {
    process.emitWarning = emitWarning;
  }
}

/**
 * Gives a module worker's memory back once it goes idle after work. Loading a module (zod, Kysely,
 * SQLite, migrations) or a burst of events grows V8's young generation (economy: from 2 to 4 MB;
 * after a flood, tens of MB), and V8 shrinks it only in a full GC that sees a low allocation rate,
 * which an idle worker never runs. So after work (`arm`), a check every {@link IDLE_CHECK_MS}
 * (plus jitter) looks at how busy the thread was since the last one; the first interval under
 * {@link IDLE_UTILIZATION} runs one full GC, and nothing more runs until the thread has been busy
 * again. A busy worker is never interrupted; an idle one pays one GC (2-3 ms alone) per busy period.
 */
export class IdleCompaction {
  readonly #utilization: () => number;
  readonly #compact: () => Promise<unknown>;
  readonly #intervalMs: number;
  #timer: ReturnType<typeof setInterval> | null = null;
  /** Work happened since the last compaction. */
  #dirty = false;
  #compactions = 0;

  constructor(options: IdleCompactionOptions = {}) {
    this.#utilization = options.utilization ?? threadUtilization();
    this.#compact = options.compact ?? measureEagerly;
    this.#intervalMs = options.intervalMs ?? IDLE_CHECK_MS + Math.floor(Math.random() * IDLE_CHECK_JITTER_MS);
  }

  /** How many full GCs this has run. */
  get compactions(): number {
    return this.#compactions;
  }

  /** True while the idle check runs (from the first `arm` until `stop`). */
  get checking(): boolean {
    return this.#timer !== null;
  }

  /** Work was done (a module started): compact once the thread is idle. */
  arm(): void {
    this.#dirty = true;
    if (this.#timer) return;
    // The first interval starts now: the work before it does not count against it.
    this.#utilization();
    this.#timer = setInterval(() => this.check(), this.#intervalMs);
    // Never what keeps a worker alive.
    this.#timer.unref();
  }

  /** Stops checking (the worker is shutting down). */
  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /**
   * One check (the timer calls it): a busy interval marks work to compact after; an idle one
   * compacts if work happened since the last compaction. Resolves when any GC it started is done.
   */
  async check(): Promise<void> {
    if (this.#utilization() >= IDLE_UTILIZATION) {
      this.#dirty = true;
      return;
    }
    if (!this.#dirty) return;
    this.#dirty = false;
    this.#compactions++;
    // Only a saving: if the measurement fails, the memory stays as it was.
    await this.#compact().catch(() => {});
  }
}
