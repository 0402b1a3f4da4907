import type { ModuleWorker } from "../host/module-worker.ts";
import type { ModuleRecord } from "../registry/module-record.ts";

/**
 * One warm worker kept for the module reloaded last (runtime booted, its packages imported), so
 * that module's next reload skips that work: in `dev` the same module is saved again and again.
 * About 8 MB; at most one.
 */
export class StandbyPool {
  readonly #enabled: boolean;
  readonly #spawn: (record: ModuleRecord) => ModuleWorker;
  #standby: { module: string; worker: ModuleWorker } | null = null;
  #closed = false;

  constructor(enabled: boolean, spawn: (record: ModuleRecord) => ModuleWorker) {
    this.#enabled = enabled;
    this.#spawn = spawn;
  }

  /** The module the warm worker is kept for, if any. */
  get module(): string | null {
    return this.#standby && !this.#standby.worker.dead ? this.#standby.module : null;
  }

  /** Takes the warm worker if it was kept for `module`. */
  take(module: string): ModuleWorker | null {
    const standby = this.#standby;
    if (!standby || standby.module !== module || standby.worker.dead) return null;
    this.#standby = null;
    return standby.worker;
  }

  /** Starts a warm worker for `record` (replacing another module's). */
  prepare(record: ModuleRecord): void {
    if (!this.#enabled || this.#closed) return;
    this.drop();
    const worker = this.#spawn(record);
    this.#standby = { module: record.name, worker };
    worker.onDeath(() => {
      if (this.#standby?.worker === worker) this.#standby = null;
    });
    void worker.call((api) => api.warm(record.build?.externals ?? []), 10_000).catch(() => {});
  }

  /** Terminates the warm worker (only if it was kept for `module`, when given). */
  drop(module?: string): void {
    const standby = this.#standby;
    if (!standby || (module !== undefined && standby.module !== module)) return;
    this.#standby = null;
    void standby.worker.terminate();
  }

  close(): void {
    this.#closed = true;
    this.drop();
  }
}
