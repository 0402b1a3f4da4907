import { rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { type HostStore, openHostStore } from "@starstreamer/storage";
import type { AnyHostPlugin, PluginStatus, StarEvent } from "starstreamer";
import { ModuleBuilder } from "./build/module-builder.ts";
import { buildRuntimeBundle } from "./build/runtime-bundle.ts";
import { VendorBundles } from "./build/vendor-bundles.ts";
import { EventBus } from "./bus/event-bus.ts";
import { JobPool, type JobPoolOptions } from "./jobs/job-pool.ts";
import { applyModuleChange, type ModuleChange } from "./lifecycle/apply-change.ts";
import { createLogger, type HostLogger } from "./logger.ts";
import { PluginHub } from "./plugins/plugin-hub.ts";
import {
  type LoadAllResult,
  ModuleRegistry,
  type ModuleSettings,
  type RegistryLimits,
} from "./registry/module-registry.ts";

/** How to build a host. */
export interface HostOptions {
  /** Folder of module folders (`modules/`). */
  modulesDir: string;
  /** Where the database and build output live (`./data`). */
  dataDir: string;
  /** The platform plugins modules reach as `ctx.twitch`, `ctx.obs` (chosen by the caller's config). */
  plugins?: readonly AnyHostPlugin[];
  /** Per-module settings from the project config, by module name. */
  modules?: Record<string, ModuleSettings>;
  /** Command prefix (default "!"). */
  commandPrefix?: string;
  logger?: HostLogger;
  /** Registry tuning: queue size, watchdog, deadlines, heap cap, crash policy, timeouts. */
  limits?: RegistryLimits;
  /**
   * Keep one warm spare worker, bound to no module, that the next load, reload or restart of any
   * module takes (replaced after each use). The CLI turns it on in `dev` and `start`.
   */
  spare?: boolean;
  jobs?: JobPoolOptions;
}

/** A running host: bus, registry, plugins, job pool and the host's store. */
export interface Host {
  readonly bus: EventBus;
  readonly registry: ModuleRegistry;
  readonly plugins: PluginHub;
  readonly jobs: JobPool;
  readonly store: HostStore;
  readonly logger: HostLogger;
  readonly modulesDir: string;
  readonly dataDir: string;
  /** Starts the plugins, discovers the modules directory and loads everything found, dependencies first. */
  start(options?: { waitMs?: number }): Promise<LoadAllResult>;
  /** Validates and publishes an event. */
  emit(type: string, data: unknown, source?: string): StarEvent;
  /** Reacts to a change of a module's files: load, reload or unload (the watcher and admin API use this). */
  applyChange(module: string, files?: string[]): Promise<ModuleChange>;
  /** Every plugin's connection state, by name. */
  pluginStatus(): Record<string, PluginStatus>;
  /** Stops the plugins, shuts modules down in dependency order, then the pool and the database. */
  close(): Promise<void>;
}

/**
 * Creates a host: opens the database, builds the worker runtime, and wires the bus, the plugins
 * and the registry. Nothing loads until `start()`.
 * @example
 * const host = await createHost({ modulesDir: "modules", dataDir: "data", plugins: [localChat] });
 * await host.start();
 */
export async function createHost(options: HostOptions): Promise<Host> {
  const dataDir = resolve(options.dataDir);
  const modulesDir = resolve(options.modulesDir);
  const logger = options.logger ?? createLogger();
  const buildDir = join(dataDir, ".build");
  await rm(join(buildDir, "modules"), { recursive: true, force: true });
  const vendor = new VendorBundles(join(buildDir, "vendor"));
  const [store, runtime] = await Promise.all([
    openHostStore(join(dataDir, "starstreamer.db")),
    buildRuntimeBundle(join(buildDir, "runtime"), vendor),
  ]);
  const bus = new EventBus(logger);
  const jobs = new JobPool(options.jobs);
  const plugins = new PluginHub(options.plugins ?? [], logger);
  const registry = new ModuleRegistry({
    modulesDir,
    dataDir,
    builder: new ModuleBuilder({ outDir: join(buildDir, "modules"), vendor }),
    runtime,
    store,
    logger,
    bus,
    plugins,
    jobs,
    settings: options.modules,
    commandPrefix: options.commandPrefix,
    limits: options.limits,
    spare: options.spare,
  });
  bus.setRouter((event) => registry.route(event));
  const emit = (type: string, data: unknown, source = "host") => bus.emit(type, data, source);
  let closed = false;
  return {
    bus,
    registry,
    plugins,
    jobs,
    store,
    logger,
    modulesDir,
    dataDir,
    async start(startOptions = {}) {
      await plugins.start(emit);
      await registry.discover();
      return registry.loadAll(startOptions);
    },
    emit,
    applyChange: (module, files) => applyModuleChange(registry, modulesDir, module, files),
    pluginStatus: () => plugins.status(),
    async close() {
      if (closed) return;
      closed = true;
      bus.setRouter(null);
      await plugins.stop();
      await registry.close();
      await jobs.close();
      await store.close();
    },
  };
}
