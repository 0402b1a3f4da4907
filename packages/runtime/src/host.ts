import { rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { type HostStore, openHostStore } from "@starstreamer/storage";
import type { Plugins, StarEvent } from "starstreamer";
import { ModuleBuilder } from "./build/module-builder.ts";
import { buildRuntimeBundle } from "./build/runtime-bundle.ts";
import { VendorBundles } from "./build/vendor-bundles.ts";
import { EventBus } from "./bus/event-bus.ts";
import { createHostApi } from "./host/host-api.ts";
import { JobPool, type JobPoolOptions } from "./jobs/job-pool.ts";
import { createLogger, type HostLogger } from "./logger.ts";
import { ModuleRegistry, type ModuleSettings, type RegistryOptions } from "./registry/module-registry.ts";

/** How to build a host. */
export interface HostOptions {
  /** Folder of module folders (`modules/`). */
  modulesDir: string;
  /** Where the database and build output live (`./data`). */
  dataDir: string;
  /** The platform plugins modules reach as `ctx.twitch`, `ctx.obs`. */
  plugins?: Partial<Plugins>;
  /** Per-module settings from the project config, by module name. */
  modules?: Record<string, ModuleSettings>;
  /** Command prefix (default "!"). */
  commandPrefix?: string;
  logger?: HostLogger;
  /** Registry tuning: queue size, watchdog, deadlines, heap cap, crash policy, timeouts. */
  limits?: Pick<
    RegistryOptions,
    "queueCapacity" | "watchdogMs" | "deadlineMs" | "maxHeapMb" | "crash" | "timeouts"
  >;
  /** Keep a warm worker for the module reloaded last (`dev` turns this on). */
  standby?: boolean;
  jobs?: JobPoolOptions;
}

/** A running host: bus, registry, job pool and the host's store. */
export interface Host {
  readonly bus: EventBus;
  readonly registry: ModuleRegistry;
  readonly jobs: JobPool;
  readonly store: HostStore;
  readonly logger: HostLogger;
  readonly plugins: Partial<Plugins>;
  readonly modulesDir: string;
  readonly dataDir: string;
  /** Discovers the modules directory and loads everything found, dependencies first. */
  start(): Promise<{ loaded: string[]; failed: Array<{ module: string; error: string }> }>;
  /** Validates and publishes an event. */
  emit(type: string, data: unknown, source?: string): StarEvent;
  /** Shuts modules down in dependency order, then the pool and the database. */
  close(): Promise<void>;
}

/**
 * Creates a host: opens the database, builds the worker runtime, and wires the bus to the
 * registry. Nothing loads until `start()`.
 * @example
 * const host = await createHost({ modulesDir: "modules", dataDir: "data", plugins: { twitch } });
 * await host.start();
 */
export async function createHost(options: HostOptions): Promise<Host> {
  const dataDir = resolve(options.dataDir);
  const modulesDir = resolve(options.modulesDir);
  const logger = options.logger ?? createLogger();
  const plugins = options.plugins ?? {};
  const buildDir = join(dataDir, ".build");
  await rm(join(buildDir, "modules"), { recursive: true, force: true });
  const vendor = new VendorBundles(join(buildDir, "vendor"));
  const [store, runtime] = await Promise.all([
    openHostStore(join(dataDir, "starstreamer.db")),
    buildRuntimeBundle(join(buildDir, "runtime"), vendor),
  ]);
  const bus = new EventBus(logger);
  const jobs = new JobPool(options.jobs);
  const builder = new ModuleBuilder({ outDir: join(buildDir, "modules"), vendor });
  let registry: ModuleRegistry | undefined;
  const getRegistry = () => registry!;
  registry = new ModuleRegistry({
    modulesDir,
    dataDir,
    builder,
    runtime,
    store,
    logger,
    commandPrefix: options.commandPrefix,
    ...options.limits,
    standby: options.standby,
    settings: (name) => options.modules?.[name] ?? {},
    hostApiFor: (module) => createHostApi(module, { plugins, bus, registry: getRegistry, jobs, logger }),
    publish: (type, data) => {
      try {
        bus.emit(type, data, "host");
      } catch (error) {
        logger.error(`could not publish ${type}: ${(error as Error).message}`);
      }
    },
    replyInChat: (event, text) => {
      const twitch = plugins.twitch;
      const messageId = (event.data as { messageId?: string }).messageId;
      twitch?.sendMessage(text, messageId ? { replyTo: messageId } : undefined).catch((error: Error) => {
        logger.warn(`could not send usage reply: ${error.message}`);
      });
    },
  });
  bus.setRouter((event) => registry.route(event));
  let closed = false;
  return {
    bus,
    registry,
    jobs,
    store,
    logger,
    plugins,
    modulesDir,
    dataDir,
    async start() {
      await registry.discover();
      return registry.loadAll();
    },
    emit(type, data, source = "host") {
      return bus.emit(type, data, source);
    },
    async close() {
      if (closed) return;
      closed = true;
      bus.setRouter(null);
      await registry.close();
      await jobs.close();
      await store.close();
    },
  };
}
