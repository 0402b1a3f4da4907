import { readlinkSync } from "node:fs";
import { getPriority, setPriority } from "node:os";
import { performance } from "node:perf_hooks";
import { isMainThread } from "node:worker_threads";
import type { LifecycleContext } from "starstreamer";
import { serializeError } from "../comlink/error-transfer.ts";
import { type CommandShape, commandShapeOf, visibleMatch } from "../triggers/command-match.ts";
import { GateLedger, gateOf } from "../triggers/cooldown-gate.ts";
import type { DeliveryEntry, DeliveryMatch, HandlerReport, HostRemote, ReportedError } from "./protocol.ts";
import type { RegisteredHandler } from "./registration-scope.ts";

/** How long a plain run's report may wait for a message to ride with, ms. */
const REPORT_DELAY_MS = 20;
/** How often runs are checked against their deadline, ms. */
const DEADLINE_CHECK_MS = 250;
/**
 * A run whose synchronous part holds the thread this long, ms, {@link BLOCKING_RUNS} times, makes
 * the module CPU-heavy (twice, so that one preemption of the thread on a busy machine does not).
 */
const BLOCKING_MS = 10;
const BLOCKING_RUNS = 2;
/** The nice value of a CPU-heavy module's thread (Linux: 0 is the default, 19 the lowest). */
const BACKGROUND_NICE = 10;

/**
 * Lowers this worker thread's scheduling priority to {@link BACKGROUND_NICE}, so the host's main
 * thread and the other modules' threads preempt a module that burns CPU (on 2 cores, a burst of
 * one module's handler otherwise delays everyone's replies). On Linux a priority set on a thread id
 * applies to that thread alone; elsewhere it would apply to the whole process, so nothing is done.
 * An unprivileged thread cannot raise its priority again: the module stays in the background for
 * its worker's life, and a reload starts it afresh. Returns whether the priority was lowered.
 */
export function lowerThreadPriority(): boolean {
  if (process.platform !== "linux" || isMainThread) return false;
  try {
    const tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
    if (!Number.isSafeInteger(tid) || tid <= 0 || tid === process.pid) return false;
    if (getPriority(tid) < BACKGROUND_NICE) setPriority(tid, BACKGROUND_NICE);
    return true;
  } catch {
    return false; // no /proc, or a sandbox that refuses: the module keeps the default priority
  }
}

interface Run {
  handler: string;
  eventId: string;
  started: number;
  deadline: number;
  slow: boolean;
}

/** What a {@link HandlerRunner} needs from the rest of the worker. */
export interface HandlerRunnerOptions {
  host: Pick<HostRemote, "report" | "slow">;
  /** Default deadline of one run, ms (a handler's own `deadlineMs` wins). */
  deadlineMs: number;
  /** The handler table; a delivery names handlers by their index in it. */
  handlers(): readonly RegisteredHandler[];
  /** The module's context, which every run's context inherits from. */
  context(): LifecycleContext<unknown> | undefined;
  /** Moves the thread to the background once a handler proved CPU-heavy ({@link lowerThreadPriority}). */
  lowerPriority?: () => boolean;
}

/**
 * Runs handlers as the host delivers events: every handler of a batch starts in delivery order in
 * the same turn; function triggers run first; each run is reported to the host in a batch (ok,
 * threw, or skipped by a function trigger; see `#report` for when a batch leaves). An event delivered with a
 * cooldown gate (a handler with function triggers and a cooldown) also waits for the verdicts of
 * the earlier events its gate names, and its own verdict goes back to the host, which keeps the
 * cooldown (see `compileTriggers`). A run past its deadline is reported once; stopping a blocked
 * loop is the watchdog's job.
 */
export class HandlerRunner {
  readonly #options: HandlerRunnerOptions;
  readonly #running = new Map<number, Run>();
  readonly #gates = new GateLedger();
  /** Each handler's command triggers, read once, to rebuild its command matches. */
  readonly #shapes = new WeakMap<RegisteredHandler, CommandShape | null>();
  #seq = 0;
  #reports: HandlerReport[] = [];
  #reportTimer: NodeJS.Timeout | undefined;
  #reportSoon = false;
  #send: ((json: string) => void) | null = null;
  /** Runs that held the thread for {@link BLOCKING_MS}; at {@link BLOCKING_RUNS} the thread is lowered. */
  #blockingRuns = 0;
  #background = false;
  /** The last run of each serial lane; the next run of the lane starts when it settles. */
  readonly #lanes = new Map<string, Promise<void>>();
  #waiting = 0;
  #drainWaiters: Array<() => void> = [];
  #belowWaiters: Array<{ limit: number; resolve: () => void }> = [];

  constructor(options: HandlerRunnerOptions) {
    this.#options = options;
    setInterval(() => this.#checkDeadlines(), DEADLINE_CHECK_MS).unref();
  }

  /** How many runs have not finished: started, or waiting their turn in a serial lane. */
  get running(): number {
    return this.#running.size + this.#waiting;
  }

  /**
   * Runs a `serial` handler after the previous run of its lane: the handler's own lane, the
   * handler's lane for this user, or the module's. Runs that wait count as running (drain and
   * flow control wait for them too).
   */
  #runInLane(
    handler: RegisteredHandler,
    event: { id: string },
    match: DeliveryMatch | null | undefined,
  ): void {
    const userId = (event as { data?: { user?: { id?: unknown } } }).data?.user?.id;
    const key =
      handler.serial === "module"
        ? "module"
        : handler.serial === "user"
          ? `${handler.info.id}:${typeof userId === "string" ? userId : ""}`
          : String(handler.info.id);
    const previous = this.#lanes.get(key);
    if (!previous) {
      const first = this.#run(handler, event, match).finally(() => this.#leave(key, first));
      this.#lanes.set(key, first);
      return;
    }
    this.#waiting++;
    const next = previous
      .then(() => {
        this.#waiting--;
        return this.#run(handler, event, match);
      })
      .finally(() => this.#leave(key, next));
    this.#lanes.set(key, next);
  }

  #leave(key: string, run: Promise<void>): void {
    if (this.#lanes.get(key) === run) this.#lanes.delete(key);
  }

  /**
   * Starts every (handler, match) pair of every entry, in order; `onEntry(index, firstHandlerId)`
   * is called as each entry starts.
   */
  deliver(entries: readonly DeliveryEntry[], onEntry?: (index: number, handlerId: number) => void): void {
    const handlers = this.#options.handlers();
    for (let index = 0; index < entries.length; index++) {
      const entry = entries[index] as DeliveryEntry;
      const event = entry.e as { id: string };
      onEntry?.(index, entry.h[0]?.[0] ?? -1);
      for (const [id, match] of entry.h) {
        const handler = handlers[id];
        if (!handler) continue;
        if (handler.serial) this.#runInLane(handler, event, match);
        else void this.#run(handler, event, match);
      }
    }
    this.#settled();
  }

  /** Resolves once fewer than `limit` runs are in progress. */
  whenBelow(limit: number): Promise<void> {
    if (this.running < limit) return Promise.resolve();
    return new Promise((resolve) => this.#belowWaiters.push({ limit, resolve }));
  }

  /** Resolves 0 once nothing runs, or after `timeoutMs` with how many runs are still going. */
  drain(timeoutMs: number): Promise<number> {
    return new Promise<number>((resolve) => {
      const timer = setTimeout(() => resolve(this.running), timeoutMs);
      this.#drainWaiters.push(() => {
        clearTimeout(timer);
        resolve(0);
      });
      this.#settled();
    });
  }

  /**
   * Sends reports through `send` instead of the host's Comlink `report`: the event port carries
   * them one way, with no reply to wake this thread again.
   */
  sendReportsTo(send: (json: string) => void): void {
    this.#send = send;
  }

  /** Sends the reports gathered so far. */
  flushReports(): void {
    const json = this.takeReports();
    if (json === null) return;
    if (this.#send) this.#send(json);
    else void this.#options.host.report(json);
  }

  /** The reports gathered so far, as one JSON array (null: none), for a message going out anyway. */
  takeReports(): string | null {
    if (this.#reports.length === 0) return null;
    const batch = this.#reports;
    this.#reports = [];
    clearTimeout(this.#reportTimer);
    this.#reportTimer = undefined;
    return JSON.stringify(batch);
  }

  /**
   * Queues a report. An error, a skip or a cooldown verdict leaves on the next turn (the host logs
   * the error, settles the cooldown); a plain run's timing can wait {@link REPORT_DELAY_MS} for
   * company, and usually rides out with the next reply or acknowledgement: on a busy bot, one
   * message less per event for both threads.
   */
  #report(report: HandlerReport): void {
    this.#reports.push(report);
    if (report.length > 2) {
      if (!this.#reportSoon) {
        this.#reportSoon = true;
        setImmediate(() => {
          this.#reportSoon = false;
          this.flushReports();
        });
      }
    } else this.#reportTimer ??= setTimeout(() => this.flushReports(), REPORT_DELAY_MS);
  }

  async #run(
    handler: RegisteredHandler,
    event: { id: string },
    match: DeliveryMatch | null | undefined,
  ): Promise<void> {
    const gate = gateOf(match);
    const id = handler.info.id;
    const userId = (event as { data?: { user?: { id?: string } } }).data?.user?.id ?? null;
    let answer: (pass: boolean) => void = () => {};
    // Asked before the first await, so that a handler's gated events decide in delivery order.
    const decision =
      gate === null
        ? null
        : this.#gates.decide(id, gate, new Promise<boolean>((resolve) => (answer = resolve)));
    let verdictSent = false;
    const sendVerdict = (took: boolean) => {
      if (gate === null || verdictSent) return;
      verdictSent = true;
      this.#report([id, 0, event.id, null, { userId, match: { gate: { n: gate.n, took } } }]);
    };
    const ctx = Object.create(this.#options.context() as object) as Record<string, unknown>;
    ctx.handler = handler.info.name;
    ctx.match = visibleMatch(match, this.#shapeOf(handler), event as { data?: unknown });
    ctx.logger = handler.logger;
    const seq = this.#seq++;
    const started = performance.now();
    this.#running.set(seq, {
      handler: handler.info.name,
      eventId: event.id,
      started,
      deadline: handler.info.deadlineMs ?? this.#options.deadlineMs,
      slow: false,
    });
    let error: ReportedError | null = null;
    let skipped = false;
    try {
      let pass = true;
      for (const predicate of handler.predicates) {
        if (!(await predicate(event as never, ctx as never))) {
          pass = false;
          break;
        }
      }
      answer(pass);
      if (pass && gate !== null && decision !== null) {
        const hit = await decision;
        if (hit && gate.notify) ctx.match = { ...(ctx.match as object), cooldown: { active: true, ...hit } };
        else if (hit) pass = false;
        if (pass) sendVerdict(hit === null);
      }
      if (pass) {
        const called = performance.now();
        const result = handler.run(event as never, ctx as never);
        if (!this.#background) this.#checkBlocking(handler, performance.now() - called);
        await result;
      } else skipped = true;
    } catch (thrown) {
      const { name, message, code, stack } = serializeError(thrown);
      error = { name, message, code, stack };
    } finally {
      answer(false); // When a function trigger threw: the decision still settles (took nothing).
      this.#running.delete(seq);
      // Microseconds are all the statistics use, and a shorter number is cheaper to send and read.
      const ms = Math.round((performance.now() - started) * 1000) / 1000;
      if (skipped) {
        // For a gated event the skip is its verdict: it did not take the window.
        const sent = gate === null ? ctx.match : { gate: { n: gate.n, took: false } };
        this.#report([id, ms, event.id, null, { userId, match: sent }]);
      } else {
        sendVerdict(false); // A function trigger threw before the verdict: the event took nothing.
        this.#report(error ? [id, ms, event.id, error] : [id, ms]);
      }
      this.#settled();
    }
  }

  #shapeOf(handler: RegisteredHandler): CommandShape | null {
    let shape = this.#shapes.get(handler);
    if (shape === undefined) {
      shape = commandShapeOf(handler.info.triggers);
      this.#shapes.set(handler, shape);
    }
    return shape;
  }

  /** After a run's synchronous part: handlers that hold the thread long move it to the background. */
  #checkBlocking(handler: RegisteredHandler, blockedMs: number): void {
    if (blockedMs < BLOCKING_MS || ++this.#blockingRuns < BLOCKING_RUNS) return;
    this.#background = true;
    if ((this.#options.lowerPriority ?? lowerThreadPriority)()) {
      handler.logger.warn(
        `held its thread for ${Math.round(blockedMs)} ms without awaiting: this module's thread now runs at background priority, so that the host and other modules stay responsive (offload heavy work with ctx.jobs.run)`,
      );
    }
  }

  #settled(): void {
    if (this.#belowWaiters.length > 0) {
      const size = this.running;
      const ready = this.#belowWaiters.filter((w) => size < w.limit);
      this.#belowWaiters = this.#belowWaiters.filter((w) => size >= w.limit);
      for (const waiter of ready) waiter.resolve();
    }
    if (this.running === 0 && this.#drainWaiters.length > 0) {
      const waiters = this.#drainWaiters;
      this.#drainWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  #checkDeadlines(): void {
    const now = performance.now();
    for (const run of this.#running.values()) {
      if (!run.slow && now - run.started > run.deadline) {
        run.slow = true;
        void this.#options.host.slow(run.handler, run.eventId, Math.round(now - run.started));
      }
    }
  }
}
