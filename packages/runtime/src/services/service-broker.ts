import { StarStreamerError } from "starstreamer";
import { RuntimeErrorCodes } from "../errors.ts";
import type { ModuleWorker } from "../host/module-worker.ts";
import type { ModuleRecord } from "../registry/module-record.ts";
import type { RegistryCore } from "../registry/registry-core.ts";

/** How long a call waits for a restarting or reloading provider before giving up. */
const WAIT_FOR_PROVIDER_MS = 10_000;

/**
 * Carries service calls between modules: finds the module that provides the service, checks the
 * caller declared it in `requires` (on the main thread: a module cannot reach a service it did not
 * ask for by talking to its host port directly), waits while the provider restarts, and calls the
 * provider's current worker. Calls are counted per worker, so a reload can retire the old worker
 * once its own calls are done, whatever the new one is doing.
 *
 * The rules callers see: a call not yet sent waits (up to 10 s) for a restarting provider; a call
 * that was running in a worker that died fails with SS_SERVICE_INTERRUPTED and is not retried
 * (it may have had effects).
 */
export class ServiceBroker {
  readonly #core: RegistryCore;
  readonly #inFlight = new Map<ModuleWorker, { count: number; idle: Set<() => void> }>();
  /** Providers whose calls wait while a reload carries their state over. */
  readonly #held = new Set<string>();

  constructor(core: RegistryCore) {
    this.#core = core;
  }

  /** Calls `service.method(...args)` for `caller`. */
  async call(caller: string, service: string, method: string, args: unknown[]): Promise<unknown> {
    const callerRecord = this.#core.records.get(caller);
    if (callerRecord?.manifest && !callerRecord.manifest.requires.includes(service)) {
      throw new StarStreamerError(
        RuntimeErrorCodes.SERVICE_NOT_REQUIRED,
        `${caller} called ${service}.${method}, but "${service}" is not in its requires list; add it to the module's requires`,
        { data: { module: caller, service } },
      );
    }
    const deadline = Date.now() + WAIT_FOR_PROVIDER_MS;
    for (;;) {
      const provider = this.#provider(service);
      if (!provider) {
        throw new StarStreamerError(
          RuntimeErrorCodes.SERVICE_UNAVAILABLE,
          `${caller} called ${service}.${method}, but no loaded module provides "${service}"`,
          { data: { module: caller, service } },
        );
      }
      const worker = provider.worker;
      if (worker && !worker.dead && !this.#held.has(provider.name)) {
        return this.#callOn(worker, provider, service, method, args);
      }
      if (provider.state === "failed" || provider.state === "unloaded" || Date.now() >= deadline) {
        throw new StarStreamerError(
          RuntimeErrorCodes.SERVICE_UNAVAILABLE,
          `"${service}" is unavailable: ${provider.name} is ${provider.state}${provider.reason ? ` (${provider.reason})` : ""}`,
          { data: { module: caller, service, provider: provider.name } },
        );
      }
      await this.#core.whenServing(provider.name, Math.max(1, deadline - Date.now()));
    }
  }

  /**
   * Holds new calls to `module` (they wait, as during a restart) and resolves once the calls
   * running in `worker` are done (or after `timeoutMs`): the moment to snapshot its state.
   */
  async hold(module: string, worker: ModuleWorker, timeoutMs: number): Promise<void> {
    this.#held.add(module);
    await this.idle(worker, timeoutMs);
  }

  /** Lets calls to `module` go again (to whichever worker serves it now). */
  release(module: string): void {
    if (this.#held.delete(module)) this.#core.abandonWaiters(module);
  }

  /** Resolves once no call runs in `worker` any more, or after `timeoutMs` (then false). */
  idle(worker: ModuleWorker, timeoutMs: number): Promise<boolean> {
    const entry = this.#inFlight.get(worker);
    if (!entry || entry.count === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        entry.idle.delete(wake);
        resolve(ok);
      };
      const wake = () => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      entry.idle.add(wake);
    });
  }

  /** Calls running in `worker` now. */
  pending(worker: ModuleWorker): number {
    return this.#inFlight.get(worker)?.count ?? 0;
  }

  #provider(service: string): ModuleRecord | undefined {
    for (const r of this.#core.records.values()) {
      if (r.manifest?.provides.includes(service) && r.state !== "discovered") {
        if (r.worker || r.state === "restarting" || r.state === "loading") return r;
      }
    }
    return undefined;
  }

  async #callOn(
    worker: ModuleWorker,
    provider: ModuleRecord,
    service: string,
    method: string,
    args: unknown[],
  ): Promise<unknown> {
    let entry = this.#inFlight.get(worker);
    if (!entry) {
      entry = { count: 0, idle: new Set() };
      this.#inFlight.set(worker, entry);
    }
    entry.count++;
    try {
      return await worker.call((api) => api.callService(service, method, args));
    } catch (error) {
      if ((error as { code?: unknown }).code === RuntimeErrorCodes.WORKER_DIED) {
        throw new StarStreamerError(
          RuntimeErrorCodes.SERVICE_INTERRUPTED,
          `${service}.${method} was interrupted: ${provider.name}'s worker stopped while the call was running; it was not retried`,
          { data: { service, method, provider: provider.name } },
        );
      }
      throw error;
    } finally {
      entry.count--;
      if (entry.count === 0) {
        this.#inFlight.delete(worker);
        for (const wake of [...entry.idle]) wake();
      }
    }
  }
}
