import { basename, resolve } from "node:path";
import type { HostStore } from "@starstreamer/storage";
import { type CommandInfo, type StarEvent, StarStreamerError } from "starstreamer";
import type { ModuleBuilder } from "../build/module-builder.ts";
import type { RuntimeBundle } from "../build/runtime-bundle.ts";
import { moduleQueue } from "../bus/delivery-queue.ts";
import type { EventBus } from "../bus/event-bus.ts";
import { asError, RuntimeErrorCodes } from "../errors.ts";
import { createHostApi } from "../host/host-api.ts";
import type { JobPool } from "../jobs/job-pool.ts";
import { disableModules, enableModule } from "../lifecycle/enable.ts";
import type { LifecycleDeps } from "../lifecycle/lifecycle-deps.ts";
import { type LoadAllResult, loadAllModules } from "../lifecycle/load-all.ts";
import { type Prepared, prepareModule } from "../lifecycle/prepare.ts";
import { type ReloadResult, reloadModule } from "../lifecycle/reload.ts";
import { importsOfLoaded, SparePool } from "../lifecycle/spare-pool.ts";
import { createSpawner } from "../lifecycle/spawn.ts";
import { startModule } from "../lifecycle/start.ts";
import { retireWorker, stopModule } from "../lifecycle/stop.ts";
import type { HostLogger } from "../logger.ts";
import type { PluginHub } from "../plugins/plugin-hub.ts";
import { ServiceBroker } from "../services/service-broker.ts";
import { listCommands } from "../stats/command-list.ts";
import { type ModuleInfo, moduleInfo, type RegistryStats, registryStats } from "../stats/module-stats.ts";
import { whenIdle } from "../supervision/idle.ts";
import { RestartSupervisor } from "../supervision/restarts.ts";
import { Watchdog } from "../supervision/watchdog.ts";
import { discoverModuleDirs } from "./discover.ts";
import { type ModuleSettings, type RegistryLimits, resolveLimits } from "./limits.ts";
import { dormantDependents, shutdownOrder, withDependents } from "./module-graph.ts";
import { createRecord, isLoadedState, type ModuleRecord, serialise } from "./module-record.ts";
import { RegistryCore } from "./registry-core.ts";

/** What the registry is built from. */
export interface RegistryOptions {
  modulesDir: string;
  dataDir: string;
  builder: ModuleBuilder;
  runtime: RuntimeBundle;
  store: HostStore;
  logger: HostLogger;
  /** Host events are published here; modules' `ctx.bus.emit` goes here too. */
  bus: EventBus;
  /** The platform plugins modules call (and the chat that command usage replies go to). */
  plugins: PluginHub;
  jobs: JobPool;
  /** Per-module settings from the project config, by module name. */
  settings?: Record<string, ModuleSettings>;
  commandPrefix?: string;
  limits?: RegistryLimits;
  /** Keep a warm spare worker that the next load, reload or restart of any module takes. */
  spare?: boolean;
}

/**
 * Discovers, loads, enables, disables, unloads and reloads modules, each in its own worker, and
 * routes events to them. A facade: the lifecycle steps live in `lifecycle/`, crash handling in
 * `supervision/`, service calls in `services/`, routing in `bus/route-index.ts`, figures in
 * `stats/`, and the pure dependency rules in `module-graph.ts`. Every operation on one module is
 * serialised.
 */
export class ModuleRegistry {
  readonly #options: RegistryOptions;
  readonly #core: RegistryCore;
  readonly #deps: LifecycleDeps;
  readonly #spares: SparePool;
  readonly #restarts: RestartSupervisor;
  readonly #watchdog: Watchdog;
  /** Calls between modules; the host API of every module goes through it. */
  readonly services: ServiceBroker;
  #persisted: Map<string, { enabled: boolean }> | null = null;
  #closed = false;

  constructor(options: RegistryOptions) {
    this.#options = options;
    const { bus, logger, plugins } = options;
    this.#core = new RegistryCore(logger, (type, data) => {
      try {
        bus.emit(type, data, "host");
      } catch (error) {
        logger.error(`could not publish ${type}: ${asError(error).message}`);
      }
    });
    const core = this.#core;
    this.services = new ServiceBroker(core);
    const limits = resolveLimits(options.limits);
    const settings = (name: string) => options.settings?.[name] ?? {};
    const spawner = createSpawner({
      core,
      runtime: options.runtime,
      dataDir: options.dataDir,
      limits,
      settings,
      hostApiFor: (module) =>
        createHostApi(module, {
          plugins,
          bus,
          services: this.services,
          jobs: options.jobs,
          jobFile: (m, job) => this.jobFile(m, job),
          commands: () => this.commands(),
          logger,
        }),
    });
    this.#spares = new SparePool({
      enabled: options.spare ?? false,
      spawner,
      warmUrls: () => importsOfLoaded(core.records.values(), options.runtime.databaseEntryUrl),
    });
    this.#deps = {
      core,
      builder: options.builder,
      store: options.store,
      limits,
      commandPrefix: options.commandPrefix ?? "!",
      settings,
      spawn: (record) => spawner.spawn(record),
      takeSpare: (record) => this.#spares.take(record),
    };
    this.#restarts = new RestartSupervisor(this.#deps);
    core.onAttach((record) => {
      const worker = record.worker;
      worker?.onDeath((death) => {
        if (record.worker === worker && worker)
          this.#restarts.onFailure(record, death, core.tables.get(worker));
      });
    });
    this.#watchdog = new Watchdog(limits.watchdogMs, () => [...core.records.values()].map((r) => r.worker));
  }

  // ---------------------------------------------------------------- discovery and registration

  /** Registers every module folder in the modules directory that is not registered yet. */
  async discover(): Promise<string[]> {
    const found: string[] = [];
    for (const dir of await discoverModuleDirs(this.#options.modulesDir)) {
      const name = basename(dir);
      if (!this.#core.records.has(name)) {
        await this.register(dir);
        found.push(name);
      }
    }
    return found;
  }

  /** Registers a module folder by hand (it may live outside the modules directory). */
  async register(dir: string): Promise<string> {
    const absolute = resolve(dir);
    const name = basename(absolute);
    const existing = this.#core.records.get(name);
    if (existing && existing.dir !== absolute) {
      throw new StarStreamerError(
        RuntimeErrorCodes.MODULE_DUPLICATE,
        `a module named "${name}" is already registered from ${existing.dir}`,
      );
    }
    if (existing) return name;
    this.#persisted ??= await this.#options.store.moduleStates();
    const queue = moduleQueue(name, this.#deps.limits.queueCapacity, this.#core.logger);
    const wantEnabled = this.#persisted.get(name)?.enabled ?? true;
    this.#core.records.set(
      name,
      createRecord({ name, index: this.#core.records.size, dir: absolute, wantEnabled, queue }),
    );
    return name;
  }

  /** Names of all registered modules. */
  names(): string[] {
    return [...this.#core.records.keys()].sort();
  }

  has(name: string): boolean {
    return this.#core.records.has(name);
  }

  /** True when the module has a worker (or is loading, or getting one back after a crash). */
  isLoaded(name: string): boolean {
    const state = this.#core.records.get(name)?.state;
    return state !== undefined && (isLoadedState(state) || state === "loading");
  }

  // ---------------------------------------------------------------- lifecycle

  /**
   * Loads every registered module that is not loaded. All build and import in parallel; each starts
   * (initialize, register actions) as soon as what it depends on has started, up to four at a
   * time, so one slow `initialize` delays only its dependents. Failures are recorded on the module
   * (state failed, with the reason) and do not stop the others. With `waitMs`, resolves after that
   * long at the latest, listing modules still starting (they go on in the background).
   */
  async loadAll(options: { waitMs?: number } = {}): Promise<LoadAllResult> {
    const result = await loadAllModules(this.#deps, options.waitMs, (name) => this.info(name));
    this.#spares.refill();
    return result;
  }

  /** Loads one module: spawn its worker, initialize, register actions, route to it. */
  async load(name: string): Promise<void> {
    const record = this.#core.get(name);
    await serialise(record, async () => {
      if (isLoadedState(record.state)) {
        throw new StarStreamerError(RuntimeErrorCodes.MODULE_STATE, `${name} is already loaded`, {
          data: { module: name },
        });
      }
      let prepared: Prepared;
      try {
        prepared = await prepareModule(this.#deps, record);
      } catch (error) {
        this.#core.fail(record, asError(error).message);
        throw asError(error);
      }
      await startModule(this.#deps, record, prepared);
    });
    await this.#restoreDependents(record);
  }

  /** Routes events to a loaded module again (persisted). */
  async enable(name: string): Promise<void> {
    return enableModule(this.#deps, name);
  }

  /** Stops routing events to a module but keeps its worker (persisted). Returns the modules affected. */
  async disable(name: string, options: { cascade?: boolean } = {}): Promise<string[]> {
    return disableModules(this.#deps, name, options);
  }

  /**
   * Shuts a module down and terminates its worker; it stays registered and can be loaded again.
   * With `bringBack` (its folder was removed), the dependents unloaded with it are loaded again
   * when it is.
   */
  async unload(name: string, options: { cascade?: boolean; bringBack?: boolean } = {}): Promise<string[]> {
    const core = this.#core;
    const affected = withDependents(core.get(name), core.records.values(), {
      cascade: options.cascade ?? false,
      verb: "unload",
      active: (r) => core.isLoaded(r.name),
    });
    for (const target of affected) {
      await serialise(target, async () => {
        await stopModule(this.#deps, target, "unloaded");
        // Unloaded because what it needs went: it comes back when that does.
        target.unloadedWith = target.name !== name && options.bringBack ? name : null;
      });
    }
    return affected.map((r) => r.name);
  }

  /**
   * Blue-green reload: build, start a new worker, initialize and register; only if all of that
   * works and the new worker is healthy, swap it in (carrying `snapshot` state) and retire the
   * old one. Any failure leaves the old worker serving. Never throws: the result says what happened.
   */
  async reload(name: string): Promise<ReloadResult> {
    const record = this.#core.get(name);
    const result = await serialise(record, () =>
      reloadModule(
        this.#deps,
        {
          retire: (r, old, build) => {
            const limit = this.#deps.limits.timeouts.drain;
            void retireWorker(this.#deps, r, old, build, async () => {
              if (!(await this.services.idle(old, limit))) {
                this.#core.logger.warn(
                  `old worker retired with service calls still running after ${limit} ms`,
                  {
                    module: r.name,
                  },
                );
              }
            });
          },
          holdCalls: (r, old) => this.services.hold(r.name, old, this.#deps.limits.timeouts.drain),
          releaseCalls: (r) => this.services.release(r.name),
        },
        record,
      ),
    );
    if (result.ok) await this.#restoreDependents(record);
    return result;
  }

  /** Stops every module (dependents first: shutdown, terminate), the watchdog and the builder. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#watchdog.stop();
    this.#restarts.close();
    this.#spares.close();
    const core = this.#core;
    for (const name of shutdownOrder(core.records.values())) {
      const record = core.get(name);
      await serialise(record, () => stopModule(this.#deps, record, "unloaded")).catch((error) =>
        core.logger.error(`shutdown failed: ${asError(error).message}`, { module: name }),
      );
    }
    await this.#options.builder.dispose();
  }

  // ---------------------------------------------------------------- events and figures

  /**
   * Routes one event to every enabled module with a matching handler (triggers are evaluated here,
   * so a worker only wakes for events its handlers want); answers a malformed command with its usage.
   */
  route(event: StarEvent): number {
    const outcome = this.#core.index.route(event);
    // Sent after the bus's listeners have heard of the command (PluginHub.replyInChat).
    for (const text of outcome.usage) this.#options.plugins.replyInChat(event, text);
    return outcome.routed;
  }

  /** One module's state and figures. */
  info(name: string): ModuleInfo {
    const record = this.#core.get(name);
    return moduleInfo(record, this.#sharedCommands(record));
  }

  /** Totals and every module's figures. */
  stats(): RegistryStats {
    return registryStats(this.names().map((n) => this.info(n)));
  }

  /**
   * Reload statistics from the host's history (kept across restarts): successful, failed, and the
   * last reload's duration, time and error; for one module or all of them.
   * @example const { successful, failed } = await registry.reloadStats();
   */
  reloadStats(module?: string): ReturnType<HostStore["reloadStats"]> {
    return this.#options.store.reloadStats(module);
  }

  /**
   * Resolves true once the module has nothing to do: its queue empty, no batch out, no handler
   * running (a `serial` handler's waiting runs count as running); false after `timeoutMs`.
   */
  whenIdle(name: string, timeoutMs = 5000): Promise<boolean> {
    return whenIdle(() => this.#core.get(name), timeoutMs);
  }

  /** The chat commands of every enabled module, sorted by command (for `!commands` and the admin page). */
  commands(): CommandInfo[] {
    return listCommands(
      [...this.#core.records.values()].filter((r) => this.#core.isEnabled(r.name)),
      this.#deps.commandPrefix,
    );
  }

  /** The module whose folder contains `file`, if any. */
  moduleForPath(file: string): string | null {
    const absolute = resolve(file);
    for (const record of this.#core.records.values()) {
      if (absolute === record.dir || absolute.startsWith(`${record.dir}/`)) return record.name;
    }
    return null;
  }

  /** The built job file of a module, for the job pool. */
  jobFile(module: string, job: string): string | null {
    return this.#core.records.get(module)?.build?.jobs.get(job) ?? null;
  }

  /** Whether a warm spare worker is waiting for the next load, reload or restart. */
  get spareReady(): boolean {
    return this.#spares.ready;
  }

  // ---------------------------------------------------------------- internals

  /** Modules unloaded with a provider come back when it does (a folder removed and restored). */
  async #restoreDependents(provider: ModuleRecord): Promise<void> {
    for (const dependent of dormantDependents(provider, this.#core.records.values())) {
      if (!dependent.unloadedWith) continue;
      dependent.unloadedWith = null;
      await this.load(dependent.name).catch((error) =>
        this.#core.logger.warn(`could not bring back ${dependent.name}: ${asError(error).message}`, {
          module: dependent.name,
        }),
      );
    }
  }

  #sharedCommands(record: ModuleRecord): string[] {
    const shared: string[] = [];
    for (const [token, owners] of this.#core.index.commandOwners()) {
      if (owners.size > 1 && owners.has(record)) shared.push(token);
    }
    return shared.sort();
  }
}

export type { LoadAllResult } from "../lifecycle/load-all.ts";
export type { ReloadResult } from "../lifecycle/reload.ts";
export type { ModuleInfo, RegistryStats } from "../stats/module-stats.ts";
export type { ModuleSettings, RegistryLimits } from "./limits.ts";
export type { ModuleState } from "./module-record.ts";
