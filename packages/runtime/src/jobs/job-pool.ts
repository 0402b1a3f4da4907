import { availableParallelism } from "node:os";
import { pathToFileURL } from "node:url";
import { Piscina } from "piscina";
import { StarStreamerError } from "starstreamer";
import { RuntimeErrorCodes } from "../errors.ts";

/** Options of the shared pool. */
export interface JobPoolOptions {
  /** Threads; defaults to the number of cores. */
  threads?: number;
  /** Tasks waiting beyond the running ones before `run` refuses. */
  maxQueue?: number;
  /** Default timeout of one task, ms. */
  timeoutMs?: number;
}

/**
 * The one piscina pool of the host, for stateless CPU-heavy work: modules' `ctx.jobs.run` and
 * the dev type-check. Threads start on demand and retire when idle, so an unused pool costs
 * nothing.
 */
export class JobPool {
  readonly #pool: Piscina;
  readonly #timeoutMs: number;
  readonly #capacity: number;
  #pending = 0;

  constructor(options: JobPoolOptions = {}) {
    const threads = options.threads ?? availableParallelism();
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    const maxQueue = options.maxQueue ?? threads * 64;
    // The bound is counted here: piscina's own maxQueue is not enforced while a cold pool spawns threads.
    this.#capacity = threads + maxQueue;
    this.#pool = new Piscina({ minThreads: 0, maxThreads: threads, idleTimeout: 30_000 });
  }

  /** Runs the default export of `file` with `input`; rejects with SS_JOBS_TIMEOUT / SS_JOBS_QUEUE_FULL. */
  async run<T = unknown>(
    file: string,
    input: unknown,
    options: { timeoutMs?: number; name?: string } = {},
  ): Promise<T> {
    const timeoutMs = options.timeoutMs ?? this.#timeoutMs;
    if (this.#pending >= this.#capacity) {
      throw new StarStreamerError(
        RuntimeErrorCodes.JOBS_QUEUE_FULL,
        `job ${options.name ?? file} refused: the job queue is full (${this.#pending} running or waiting)`,
      );
    }
    const signal = AbortSignal.timeout(timeoutMs);
    this.#pending++;
    try {
      return (await this.#pool.run(input, { filename: pathToFileURL(file).href, signal })) as T;
    } catch (error) {
      if (signal.aborted) {
        throw new StarStreamerError(
          RuntimeErrorCodes.JOBS_TIMEOUT,
          `job ${options.name ?? file} ran past ${timeoutMs} ms and was cancelled`,
        );
      }
      throw error;
    } finally {
      this.#pending--;
    }
  }

  get stats(): { threads: number; queued: number; completed: number } {
    return {
      threads: this.#pool.threads.length,
      queued: this.#pending,
      completed: this.#pool.completed,
    };
  }

  async close(): Promise<void> {
    await this.#pool.destroy();
  }
}
