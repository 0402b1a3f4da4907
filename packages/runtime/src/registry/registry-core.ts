import { StarStreamerError } from "starstreamer";
import type { ModuleBuild } from "../build/module-builder.ts";
import { RouteIndex } from "../bus/route-index.ts";
import { RuntimeErrorCodes } from "../errors.ts";
import type { ModuleWorker } from "../host/module-worker.ts";
import type { HostLogger } from "../logger.ts";
import { CooldownStore } from "../triggers/index.ts";
import {
  type CompiledHandler,
  canTransition,
  isLoadedState,
  isRouted,
  type ModuleRecord,
  type ModuleState,
} from "./module-record.ts";

/** Publishes a host event (`system.module.state`, `system.handler.error`) on the bus. */
export type Publish = (type: string, data: Record<string, unknown>) => void;

/**
 * The registry's shared state and the few operations that change it: the records, the routing
 * index, the cooldowns, state transitions and attaching a worker. The lifecycle, supervision and
 * service parts all work through this one object, so each rule (what a state change publishes,
 * when the index is rebuilt) lives in one place.
 */
export class RegistryCore {
  readonly records = new Map<string, ModuleRecord>();
  readonly index = new RouteIndex<ModuleRecord>(isRouted);
  readonly cooldowns = new CooldownStore();
  /** Each worker's own handler table: reports of an old worker draining after a swap read against it. */
  readonly tables = new WeakMap<ModuleWorker, CompiledHandler[]>();
  readonly logger: HostLogger;
  readonly publish: Publish;
  #serving = new Map<string, Set<() => void>>();
  #onAttach: (record: ModuleRecord) => void = () => {};

  constructor(logger: HostLogger, publish: Publish) {
    this.logger = logger;
    this.publish = publish;
  }

  /** The record of `name`, or SS_MODULE_NOT_FOUND naming the registered ones. */
  get(name: string): ModuleRecord {
    const record = this.records.get(name);
    if (!record) {
      throw new StarStreamerError(
        RuntimeErrorCodes.MODULE_NOT_FOUND,
        `no module named "${name}" (registered: ${[...this.records.keys()].sort().join(", ") || "none"})`,
        { data: { module: name } },
      );
    }
    return record;
  }

  isLoaded(name: string): boolean {
    const r = this.records.get(name);
    return r !== undefined && isLoadedState(r.state);
  }

  isEnabled(name: string): boolean {
    const r = this.records.get(name);
    return r !== undefined && isRouted(r);
  }

  /**
   * Re-indexes the handlers of every loaded module. A module restarting after a crash keeps its
   * handlers indexed: its events wait in its queue for the next worker instead of being lost.
   */
  rebuildIndex(): void {
    this.index.rebuild([...this.records.values()].filter((r) => isLoadedState(r.state)));
  }

  setState(record: ModuleRecord, state: ModuleState): void {
    if (!canTransition(record.state, state)) {
      this.logger.warn(`unexpected state change ${record.state} -> ${state}`, { module: record.name });
    }
    const changed = record.state !== state;
    record.state = state;
    if (!changed) return;
    this.rebuildIndex();
    if (state === "enabled") this.#warnSharedCommands(record);
    this.publish("system.module.state", {
      module: record.name,
      state,
      ...(record.manifest ? { version: record.manifest.version } : {}),
      ...(record.reason ? { reason: record.reason } : {}),
    });
  }

  fail(record: ModuleRecord, reason: string): void {
    record.reason = reason;
    this.setState(record, "failed");
    this.logger.error(`failed: ${reason}`, { module: record.name });
  }

  /** Makes `worker` the one serving the module: queue, handler table and routing point at it. */
  attach(record: ModuleRecord, worker: ModuleWorker, build: ModuleBuild, handlers: CompiledHandler[]): void {
    record.worker = worker;
    record.build = build;
    record.handlers = handlers;
    record.queue.setTarget({ deliver: (batch) => worker.deliver(batch) });
    this.rebuildIndex();
    if (record.state === "enabled") this.#warnSharedCommands(record);
    this.#onAttach(record);
    // Service calls that waited for this module go on now.
    const waiters = this.#serving.get(record.name);
    this.#serving.delete(record.name);
    for (const resolve of waiters ?? []) resolve();
  }

  /** Two modules answering one command both reply: worth a warning each time it (re)appears. */
  #warnSharedCommands(record: ModuleRecord): void {
    for (const [token, owners] of this.index.commandOwners()) {
      if (owners.size < 2 || !owners.has(record)) continue;
      const others = [...owners].filter((o) => o !== record).map((o) => o.name);
      this.logger.warn(`${token} is also answered by ${others.join(", ")}: both will reply`, {
        module: record.name,
      });
    }
  }

  /** Called after every attach (the registry hooks its death watch in here). */
  onAttach(listener: (record: ModuleRecord) => void): void {
    this.#onAttach = listener;
  }

  /** Resolves true when the module next gets a worker, false after `timeoutMs`. */
  whenServing(name: string, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const waiters = this.#serving.get(name) ?? new Set();
      this.#serving.set(name, waiters);
      const done = (ok: boolean) => {
        clearTimeout(timer);
        waiters.delete(wake);
        resolve(ok);
      };
      const wake = () => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      timer.unref();
      waiters.add(wake);
    });
  }

  /** Wakes service calls waiting for a module that will not come back (failed, unloaded). */
  abandonWaiters(name: string): void {
    const waiters = this.#serving.get(name);
    this.#serving.delete(name);
    for (const resolve of waiters ?? []) resolve();
  }
}
