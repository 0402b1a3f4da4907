import { basename, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import type { HostStore } from "@starstreamer/storage";
import { type ModuleManifest, type StarEvent, StarStreamerError } from "starstreamer";
import type { ModuleBuild, ModuleBuilder } from "../build/module-builder.ts";
import type { RuntimeBundle } from "../build/runtime-bundle.ts";
import { DeliveryQueue } from "../bus/delivery-queue.ts";
import { RuntimeErrorCodes } from "../errors.ts";
import { ModuleWorker, type WorkerDeath } from "../host/module-worker.ts";
import type { HostLogger } from "../logger.ts";
import { LatencyWindow } from "../stats/latency-window.ts";
import { type CompiledTriggers, CooldownStore, compileTriggers, createEventView } from "../triggers/index.ts";
import type { DeliveryEntry, HandlerInfo, HandlerReport, HostApi } from "../worker/protocol.ts";
import { dependencyOrder } from "./dependency-order.ts";
import { discoverModuleDirs } from "./discover.ts";

/** Where a module is in its life. */
export type ModuleState =
  | "discovered"
  | "loading"
  | "enabled"
  | "disabled"
  | "restarting"
  | "failed"
  | "unloaded";

/** Per-module settings from the project config. */
export interface ModuleSettings {
  /** The module's own config section, validated by its schema in the worker. */
  config?: unknown;
  /** V8 old-generation heap cap of the module's worker, MB. */
  maxHeapMb?: number;
  /** Report one handler run past this many ms. */
  deadlineMs?: number;
}

/** What the registry needs from the host around it. */
export interface RegistryOptions {
  modulesDir: string;
  dataDir: string;
  builder: ModuleBuilder;
  runtime: RuntimeBundle;
  store: HostStore;
  logger: HostLogger;
  /** Builds the API object a module's worker calls the host through. */
  hostApiFor(module: string): Omit<HostApi, "report">;
  /** Publishes a host event (module state changes, handler errors) on the bus. */
  publish(type: string, data: Record<string, unknown>): void;
  /** Sends a chat reply (command usage), when a chat plugin is present. */
  replyInChat?(event: StarEvent, text: string): void;
  settings?(module: string): ModuleSettings;
  commandPrefix?: string;
  queueCapacity?: number;
  watchdogMs?: number;
  deadlineMs?: number;
  maxHeapMb?: number;
  /** Crash loop policy: this many failures within windowMs marks the module failed. */
  crash?: { maxFailures?: number; windowMs?: number; backoffMs?: number; maxBackoffMs?: number };
  /**
   * Keep one warm worker for the module reloaded last (runtime booted, its packages imported), so
   * its next reload skips that work. For `dev`, where the same module is saved again and again.
   */
  standby?: boolean;
  /** Bounds on lifecycle calls into a worker, ms. */
  timeouts?: { load?: number; start?: number; drain?: number; shutdown?: number };
}

interface CompiledHandler {
  info: HandlerInfo;
  triggers: CompiledTriggers;
}

interface Prepared {
  worker: ModuleWorker;
  build: ModuleBuild;
  manifest: ModuleManifest;
}

interface Subscription {
  record: ModuleRecord;
  handler: CompiledHandler;
}

interface ModuleRecord {
  name: string;
  /** Registration order, to keep one module's hits together when lists merge. */
  index: number;
  dir: string;
  state: ModuleState;
  /** What the user asked for (persisted): enabled or disabled once loaded. */
  wantEnabled: boolean;
  manifest: ModuleManifest | null;
  build: ModuleBuild | null;
  worker: ModuleWorker | null;
  handlers: CompiledHandler[];
  queue: DeliveryQueue;
  eventsHandled: number;
  errors: number;
  lastError: { message: string; handler: string | null; at: number } | null;
  reason: string | null;
  latency: LatencyWindow;
  failures: number[];
  restarts: number;
  reloads: { successful: number; failed: number; lastDurationMs: number | null };
  /** Serialises lifecycle operations on this module. */
  op: Promise<unknown>;
  /** Resolved whenever the module is serving again after a restart. */
  serving: { promise: Promise<void>; resolve: () => void } | null;
  pendingServiceCalls: number;
}

/** A module as the admin page and `stats()` show it. */
export interface ModuleInfo {
  name: string;
  dir: string;
  state: ModuleState;
  enabled: boolean;
  version: string | null;
  description: string;
  author: string;
  dependencies: string[];
  provides: string[];
  requires: string[];
  handlers: Array<{ name: string; type: string; triggers: string[] }>;
  eventsHandled: number;
  errors: number;
  lastError: { message: string; handler: string | null; at: number } | null;
  reason: string | null;
  handlerP50Ms: number | null;
  handlerP99Ms: number | null;
  /** V8 heap in use by the module's worker, MB (null without a worker). */
  heapUsedMb: number | null;
  queued: number;
  dropped: number;
  restarts: number;
  reloads: { successful: number; failed: number; lastDurationMs: number | null };
}

/** Totals across modules. */
export interface RegistryStats {
  total: number;
  loaded: number;
  enabled: number;
  failed: number;
  modules: ModuleInfo[];
}

/** The outcome of a reload. */
export interface ReloadResult {
  module: string;
  ok: boolean;
  version: string | null;
  durationMs: number;
  error: StarStreamerError | null;
}

const LOADED: ReadonlySet<ModuleState> = new Set(["enabled", "disabled", "restarting"]);

function asError(error: unknown): StarStreamerError {
  if (error instanceof StarStreamerError) return error;
  const e = error as { code?: unknown; message?: unknown; data?: unknown };
  if (error instanceof Error && typeof e.code === "string") {
    const wrapped = new StarStreamerError(e.code, error.message, {
      data: (e.data as Record<string, unknown>) ?? {},
    });
    wrapped.stack = error.stack;
    return wrapped;
  }
  return new StarStreamerError(
    RuntimeErrorCodes.MODULE_ERROR,
    error instanceof Error ? error.message : String(error),
    {
      cause: error,
    },
  );
}

/**
 * Discovers, loads, enables, disables, unloads and reloads modules, each in its own worker;
 * routes events to them through their queues; restarts crashed workers with backoff and marks a
 * crash-looping module failed. Every operation on one module is serialised.
 */
export class ModuleRegistry {
  readonly #options: RegistryOptions;
  readonly #records = new Map<string, ModuleRecord>();
  readonly #cooldowns = new CooldownStore();
  /** Each worker's own handler table: reports of an old worker draining after a swap read against it. */
  readonly #tables = new WeakMap<ModuleWorker, CompiledHandler[]>();
  readonly #logger: HostLogger;
  #byType = new Map<string, Subscription[]>();
  #byCommand = new Map<string, Subscription[]>();
  #wildcards: Array<{ prefix: string; sub: Subscription }> = [];
  #chatOther: Subscription[] = [];
  #watchdog: NodeJS.Timeout;
  #persisted: Map<string, { enabled: boolean }> | null = null;
  #standby: { module: string; worker: ModuleWorker } | null = null;
  #closed = false;

  constructor(options: RegistryOptions) {
    this.#options = options;
    this.#logger = options.logger;
    const limit = options.watchdogMs ?? 5000;
    this.#watchdog = setInterval(() => this.#checkHeartbeats(limit), Math.min(500, limit / 2));
    this.#watchdog.unref();
  }

  get #prefix(): string {
    return this.#options.commandPrefix ?? "!";
  }

  // ---------------------------------------------------------------- discovery and registration

  /** Registers every module folder in the modules directory that is not registered yet. */
  async discover(): Promise<string[]> {
    const found: string[] = [];
    for (const dir of await discoverModuleDirs(this.#options.modulesDir)) {
      const name = basename(dir);
      if (!this.#records.has(name)) {
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
    const existing = this.#records.get(name);
    if (existing && existing.dir !== absolute) {
      throw new StarStreamerError(
        RuntimeErrorCodes.MODULE_DUPLICATE,
        `a module named "${name}" is already registered from ${existing.dir}`,
      );
    }
    if (existing) return name;
    this.#persisted ??= await this.#options.store.moduleStates();
    const record: ModuleRecord = {
      name,
      index: this.#records.size,
      dir: absolute,
      state: "discovered",
      wantEnabled: this.#persisted.get(name)?.enabled ?? true,
      manifest: null,
      build: null,
      worker: null,
      handlers: [],
      queue: new DeliveryQueue({
        capacity: this.#options.queueCapacity ?? 10_000,
        onOverflow: (dropped) => {
          // Counted always; logged on the first and then every 100th so a flood does not flood the log too.
          if (dropped === 1 || dropped % 100 === 0) {
            this.#logger.warn(`queue full: ${dropped} events dropped so far`, { module: name });
          }
        },
        onRetryDrop: (count) =>
          this.#logger.error(`${count} events dropped after a second failed delivery`, { module: name }),
      }),
      eventsHandled: 0,
      errors: 0,
      lastError: null,
      reason: null,
      latency: new LatencyWindow(),
      failures: [],
      restarts: 0,
      reloads: { successful: 0, failed: 0, lastDurationMs: null },
      op: Promise.resolve(),
      serving: null,
      pendingServiceCalls: 0,
    };
    this.#records.set(name, record);
    return name;
  }

  /** Names of all registered modules. */
  names(): string[] {
    return [...this.#records.keys()].sort();
  }

  has(name: string): boolean {
    return this.#records.has(name);
  }

  // ---------------------------------------------------------------- lifecycle

  /**
   * Loads every registered module that is not loaded, dependencies first. Failures are recorded
   * on the module (state failed, with the reason) and do not stop the others.
   */
  async loadAll(): Promise<{ loaded: string[]; failed: Array<{ module: string; error: string }> }> {
    const pending = [...this.#records.values()].filter((r) => !LOADED.has(r.state));
    // Build and import in parallel; initialize in dependency order.
    const prepared = new Map<string, Prepared>();
    const failed: Array<{ module: string; error: string }> = [];
    await Promise.all(
      pending.map(async (record) => {
        try {
          prepared.set(record.name, await this.#prepare(record));
        } catch (error) {
          const e = asError(error);
          this.#fail(record, e.message);
          failed.push({ module: record.name, error: e.message });
        }
      }),
    );
    const providers = this.#serviceProviders([...prepared.values()].map((p) => p.manifest));
    const nodes = [...prepared.values()].map(({ manifest }) => ({
      name: manifest.name,
      after: [
        ...manifest.dependencies,
        ...manifest.requires
          .map((s) => providers.get(s))
          .filter((p): p is string => p !== undefined && p !== manifest.name),
      ].filter((dep) => !this.#isLoaded(dep)),
    }));
    const { order, missing, cycles } = dependencyOrder(nodes);
    const loaded: string[] = [];
    const refuse = async (name: string, error: StarStreamerError) => {
      const p = prepared.get(name);
      await p?.worker.terminate();
      if (p) await this.#options.builder.release(p.build);
      this.#fail(this.#records.get(name)!, error.message);
      failed.push({ module: name, error: error.message });
    };
    for (const [name, absent] of missing) {
      await refuse(
        name,
        new StarStreamerError(
          RuntimeErrorCodes.DEPENDENCY_MISSING,
          `${name} depends on ${absent.map((d) => `"${d}"`).join(", ")}, which ${absent.length > 1 ? "are" : "is"} not in the modules directory`,
        ),
      );
    }
    for (const [name, cycle] of cycles) {
      if (missing.has(name)) continue;
      await refuse(
        name,
        new StarStreamerError(
          RuntimeErrorCodes.DEPENDENCY_CYCLE,
          `${name} is in a dependency cycle: ${cycle.join(" -> ")}`,
        ),
      );
    }
    for (const name of order) {
      if (missing.has(name)) continue;
      const record = this.#records.get(name)!;
      const p = prepared.get(name)!;
      try {
        await this.#serialise(record, () => this.#start(record, p.worker, p.build, p.manifest));
        loaded.push(name);
      } catch (error) {
        failed.push({ module: name, error: asError(error).message });
      }
    }
    return { loaded, failed };
  }

  /** Loads one module: spawn its worker, initialize, register actions, route to it. */
  async load(name: string): Promise<void> {
    const record = this.#get(name);
    return this.#serialise(record, async () => {
      if (LOADED.has(record.state)) {
        throw new StarStreamerError(RuntimeErrorCodes.MODULE_STATE, `${name} is already loaded`);
      }
      let prepared: Prepared;
      try {
        prepared = await this.#prepare(record);
      } catch (error) {
        this.#fail(record, asError(error).message);
        throw asError(error);
      }
      await this.#start(record, prepared.worker, prepared.build, prepared.manifest);
    });
  }

  /** Routes events to a loaded module again (persisted). */
  async enable(name: string): Promise<void> {
    const record = this.#get(name);
    return this.#serialise(record, async () => {
      if (!LOADED.has(record.state)) {
        throw new StarStreamerError(
          RuntimeErrorCodes.MODULE_STATE,
          `${name} is ${record.state}; load it first`,
        );
      }
      const inactive = (record.manifest?.dependencies ?? []).filter((d) => !this.#isEnabled(d));
      if (inactive.length > 0) {
        throw new StarStreamerError(
          RuntimeErrorCodes.DEPENDENCY_MISSING,
          `${name} needs ${inactive.join(", ")} enabled first`,
        );
      }
      record.wantEnabled = true;
      if (record.state === "disabled") this.#setState(record, "enabled");
      await this.#options.store.setModuleEnabled(name, true);
    });
  }

  /** Stops routing events to a module but keeps its worker (persisted). */
  async disable(name: string, options: { cascade?: boolean } = {}): Promise<string[]> {
    const record = this.#get(name);
    const affected = await this.#withDependents(record, options.cascade ?? false, "disable", (r) =>
      this.#isEnabled(r.name),
    );
    for (const target of affected) {
      await this.#serialise(target, async () => {
        target.wantEnabled = false;
        if (target.state === "enabled") this.#setState(target, "disabled");
        await this.#options.store.setModuleEnabled(target.name, false);
      });
    }
    return affected.map((r) => r.name);
  }

  /** Shuts a module down and terminates its worker; it stays registered and can be loaded again. */
  async unload(name: string, options: { cascade?: boolean } = {}): Promise<string[]> {
    const record = this.#get(name);
    const affected = await this.#withDependents(record, options.cascade ?? false, "unload", (r) =>
      this.#isLoaded(r.name),
    );
    for (const target of affected) {
      await this.#serialise(target, () => this.#stop(target, "unloaded"));
    }
    return affected.map((r) => r.name);
  }

  /**
   * Blue-green reload: build, start a new worker, initialize and register; only if all of that
   * works and the new worker is healthy, swap it in (carrying `snapshot` state) and retire the
   * old one. Any failure leaves the old worker serving. Never throws: the result says what happened.
   */
  async reload(name: string): Promise<ReloadResult> {
    const record = this.#get(name);
    return this.#serialise(record, () => this.#reload(record));
  }

  /** Stops every module (shutdown, terminate) and the watchdog. */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#watchdog);
    this.#dropStandby();
    const records = [...this.#records.values()];
    // Dependents first: reverse of a dependency order.
    const order = dependencyOrder(
      records.map((r) => ({ name: r.name, after: r.manifest?.dependencies ?? [] })),
    ).order;
    const rest = records.map((r) => r.name).filter((n) => !order.includes(n));
    for (const name of [...order].reverse().concat(rest)) {
      const record = this.#records.get(name)!;
      await this.#serialise(record, () => this.#stop(record, "unloaded")).catch((error) =>
        this.#logger.error(`shutdown failed: ${asError(error).message}`, { module: name }),
      );
    }
    await this.#options.builder.dispose();
  }

  // ---------------------------------------------------------------- events

  /**
   * Routes one event to every enabled module with a matching handler. Triggers are evaluated here,
   * so a worker only wakes for events its handlers want.
   */
  route(event: StarEvent): number {
    const candidates = this.#candidates(event);
    if (candidates === null) return 0;
    const view = createEventView(event);
    const now = Date.now();
    let eventJson: string | undefined;
    let routed = 0;
    let current: ModuleRecord | null = null;
    let hits: Array<[number, unknown]> = [];
    const flush = () => {
      if (current && hits.length > 0) {
        eventJson ??= JSON.stringify(event);
        current.queue.push(`{"e":${eventJson},"h":${JSON.stringify(hits)}}`);
        routed++;
      }
      hits = [];
    };
    for (const list of candidates) {
      for (const { record, handler } of list) {
        if (record.state !== "enabled" && record.state !== "restarting") continue;
        if (record.state === "restarting" && !record.wantEnabled) continue;
        const result = handler.triggers.evaluate(event, view, now);
        if (!result.pass) {
          if (result.usage)
            this.#options.replyInChat?.(
              event,
              `${view.user ? `@${view.user.displayName} ` : ""}${result.usage.text} (${result.usage.error})`,
            );
          continue;
        }
        if (record !== current) {
          flush();
          current = record;
        }
        hits.push([handler.info.id, result.match]);
      }
    }
    flush();
    return routed;
  }

  #candidates(event: StarEvent): Subscription[][] | null {
    const lists: Subscription[][] = [];
    if (event.type === "twitch.chat.message") {
      const text = (event.data as { text?: unknown }).text;
      if (typeof text === "string" && this.#byCommand.size > 0) {
        const end = text.indexOf(" ");
        const token = (end < 0 ? text : text.slice(0, end)).toLowerCase();
        const commands = this.#byCommand.get(token);
        if (commands) lists.push(commands);
      }
      if (this.#chatOther.length > 0) lists.push(this.#chatOther);
    } else {
      const exact = this.#byType.get(event.type);
      if (exact) lists.push(exact);
    }
    if (this.#wildcards.length > 0) {
      const matching = this.#wildcards.filter((w) => event.type.startsWith(w.prefix)).map((w) => w.sub);
      if (matching.length > 0) lists.push(matching);
    }
    if (lists.length === 0) return null;
    if (lists.length > 1) {
      // One module's hits must be contiguous so that they travel as one entry, in registration order.
      const merged = lists.flat();
      merged.sort((a, b) => a.record.index - b.record.index || a.handler.info.id - b.handler.info.id);
      return [merged];
    }
    return lists;
  }

  #rebuildIndex(): void {
    const byType = new Map<string, Subscription[]>();
    const byCommand = new Map<string, Subscription[]>();
    const wildcards: Array<{ prefix: string; sub: Subscription }> = [];
    const chatOther: Subscription[] = [];
    for (const record of this.#records.values()) {
      if (!record.worker || !LOADED.has(record.state)) continue;
      for (const handler of record.handlers) {
        const sub = { record, handler };
        const type = handler.info.type;
        if (type === "*" || type.endsWith(".*")) {
          wildcards.push({ prefix: type === "*" ? "" : type.slice(0, -1), sub });
        } else if (type === "twitch.chat.message" && handler.triggers.commandNames) {
          for (const token of handler.triggers.commandNames) {
            const list = byCommand.get(token) ?? [];
            list.push(sub);
            byCommand.set(token, list);
          }
        } else if (type === "twitch.chat.message") {
          chatOther.push(sub);
        } else {
          const list = byType.get(type) ?? [];
          list.push(sub);
          byType.set(type, list);
        }
      }
    }
    this.#byType = byType;
    this.#byCommand = byCommand;
    this.#wildcards = wildcards;
    this.#chatOther = chatOther;
  }

  /** Takes a worker's batch of handler reports (stats, errors), read against that worker's own handler table. */
  #acceptReports(record: ModuleRecord, handlers: CompiledHandler[], reports: HandlerReport[]): void {
    const module = record.name;
    for (const report of reports) {
      const [id, ms, eventId, error] = report;
      const skipped = report[4];
      if (skipped) {
        // A function trigger said no in the worker: the handler did not run, so its cooldown is not spent.
        handlers[id]?.triggers.release(skipped.userId, skipped.match as never);
        continue;
      }
      record.eventsHandled++;
      record.latency.add(ms);
      if (error) {
        const handler = handlers[id]?.info;
        record.errors++;
        record.lastError = { message: error.message, handler: handler?.name ?? null, at: Date.now() };
        this.#logger.error(`handler failed: ${error.message}`, {
          module,
          handler: handler?.name,
          event: handler?.type,
          eventId,
          code: error.code,
          stack: error.stack,
        });
        if (handler?.type !== "system.handler.error") {
          this.#options.publish("system.handler.error", {
            module,
            handler: handler?.name ?? String(id),
            eventId,
            eventType: handler?.type ?? "unknown",
            error: { code: error.code, message: error.message, stack: error.stack },
          });
        }
      }
    }
  }

  // ---------------------------------------------------------------- services

  /** Calls a service method on whichever worker currently serves the providing module. */
  async callService(caller: string, service: string, method: string, args: unknown[]): Promise<unknown> {
    const provider = [...this.#records.values()].find(
      (r) => r.manifest?.provides.includes(service) && r.worker,
    );
    if (!provider) {
      throw new StarStreamerError(
        RuntimeErrorCodes.SERVICE_MISSING,
        `${caller} called ${service}.${method}, but no loaded module provides "${service}"`,
      );
    }
    if (provider.state === "restarting" && provider.serving) {
      await Promise.race([provider.serving.promise, new Promise((r) => setTimeout(r, 10_000))]);
    }
    const worker = provider.worker;
    if (!worker || provider.state === "failed") {
      throw new StarStreamerError(
        provider.state === "failed" ? RuntimeErrorCodes.MODULE_FAILED : RuntimeErrorCodes.SERVICE_MISSING,
        `"${service}" is unavailable: ${provider.name} is ${provider.state}${provider.reason ? ` (${provider.reason})` : ""}`,
      );
    }
    provider.pendingServiceCalls++;
    try {
      return await worker.call((api) => api.callService(service, method, args));
    } finally {
      provider.pendingServiceCalls--;
    }
  }

  // ---------------------------------------------------------------- stats

  /** One module's state and figures. */
  info(name: string): ModuleInfo {
    const r = this.#get(name);
    const m = r.manifest;
    return {
      name: r.name,
      dir: r.dir,
      state: r.state,
      enabled: r.wantEnabled,
      version: m?.version ?? null,
      description: m?.description ?? "",
      author: m?.author ?? "",
      dependencies: m?.dependencies ?? [],
      provides: m?.provides ?? [],
      requires: m?.requires ?? [],
      handlers: r.handlers.map((h) => ({
        name: h.info.name,
        type: h.info.type,
        triggers: h.info.triggers.map((t) => t.kind),
      })),
      eventsHandled: r.eventsHandled,
      errors: r.errors,
      lastError: r.lastError,
      reason: r.reason,
      handlerP50Ms: r.latency.quantile(0.5),
      handlerP99Ms: r.latency.quantile(0.99),
      heapUsedMb: r.worker ? Math.round(r.worker.heapUsedMb * 10) / 10 : null,
      queued: r.queue.length,
      dropped: r.queue.dropped,
      restarts: r.restarts,
      reloads: { ...r.reloads },
    };
  }

  /** Totals and every module's figures. */
  stats(): RegistryStats {
    const modules = this.names().map((n) => this.info(n));
    return {
      total: modules.length,
      loaded: modules.filter((m) => LOADED.has(m.state)).length,
      enabled: modules.filter((m) => m.state === "enabled").length,
      failed: modules.filter((m) => m.state === "failed").length,
      modules,
    };
  }

  /**
   * Reload statistics from the host's history (kept across restarts): successful, failed, and the
   * last reload's duration, time and error; for one module or all of them.
   * @example const { successful, failed } = await registry.reloadStats();
   */
  reloadStats(module?: string): ReturnType<HostStore["reloadStats"]> {
    return this.#options.store.reloadStats(module);
  }

  /** Heap figures of a module's worker (asks the worker). */
  async memory(name: string): Promise<{ heapUsedMb: number; heapTotalMb: number } | null> {
    const worker = this.#get(name).worker;
    if (!worker) return null;
    const health = await worker.call((api) => api.health(), 2000);
    return { heapUsedMb: health.heapUsedMb, heapTotalMb: health.heapTotalMb };
  }

  /** The module whose folder contains `file`, if any. */
  moduleForPath(file: string): string | null {
    const absolute = resolve(file);
    for (const record of this.#records.values()) {
      if (absolute === record.dir || absolute.startsWith(`${record.dir}/`)) return record.name;
    }
    return null;
  }

  /** The built job file of a module, for the job pool. */
  jobFile(module: string, job: string): string | null {
    return this.#records.get(module)?.build?.jobs.get(job) ?? null;
  }

  // ---------------------------------------------------------------- internals

  #get(name: string): ModuleRecord {
    const record = this.#records.get(name);
    if (!record) {
      throw new StarStreamerError(
        RuntimeErrorCodes.MODULE_NOT_FOUND,
        `no module named "${name}" (registered: ${this.names().join(", ") || "none"})`,
      );
    }
    return record;
  }

  #isLoaded(name: string): boolean {
    const r = this.#records.get(name);
    return r !== undefined && LOADED.has(r.state);
  }

  #isEnabled(name: string): boolean {
    const r = this.#records.get(name);
    return r !== undefined && (r.state === "enabled" || (r.state === "restarting" && r.wantEnabled));
  }

  #serialise<T>(record: ModuleRecord, operation: () => Promise<T>): Promise<T> {
    const next = record.op.then(operation, operation);
    record.op = next.catch(() => {});
    return next;
  }

  #serviceProviders(manifests: ModuleManifest[]): Map<string, string> {
    const providers = new Map<string, string>();
    for (const r of this.#records.values()) {
      if (r.manifest && LOADED.has(r.state)) for (const s of r.manifest.provides) providers.set(s, r.name);
    }
    for (const m of manifests) for (const s of m.provides) providers.set(s, m.name);
    return providers;
  }

  #settings(name: string): ModuleSettings {
    return this.#options.settings?.(name) ?? {};
  }

  #spawn(record: ModuleRecord): ModuleWorker {
    const settings = this.#settings(record.name);
    let worker: ModuleWorker | undefined;
    const hostApi: HostApi = {
      ...this.#options.hostApiFor(record.name),
      report: (json) => {
        if (worker)
          this.#acceptReports(record, this.#tables.get(worker) ?? [], JSON.parse(json) as HandlerReport[]);
      },
    };
    worker = new ModuleWorker({
      module: record.name,
      workerUrl: this.#options.runtime.workerUrl,
      databaseEntryUrl: this.#options.runtime.databaseEntryUrl,
      dataDir: this.#options.dataDir,
      hostApi,
      maxHeapMb: settings.maxHeapMb ?? this.#options.maxHeapMb ?? 128,
      deadlineMs: settings.deadlineMs ?? this.#options.deadlineMs ?? 5000,
    });
    return worker;
  }

  /** Builds the module and imports it into a fresh worker; returns the worker and manifest. */
  async #prepare(record: ModuleRecord, reuse?: ModuleBuild): Promise<Prepared> {
    // The worker boots (thread, runtime bundle) while esbuild builds: the two overlap. A standby
    // worker of this module has done that (and imported its packages) already.
    const worker = this.#takeStandby(record.name) ?? this.#spawn(record);
    let build: ModuleBuild;
    try {
      build = reuse ?? (await this.#options.builder.build(record.name, record.dir));
    } catch (error) {
      await worker.terminate();
      throw error;
    }
    try {
      const manifest = await worker.call(
        (api) => api.load(build.url),
        this.#options.timeouts?.load ?? 10_000,
      );
      if (manifest.name !== record.name) {
        throw new StarStreamerError(
          RuntimeErrorCodes.MODULE_EXPORT_INVALID,
          `the module in folder "${record.name}" is named "${manifest.name}": a module's name must match its folder`,
        );
      }
      return { worker, build, manifest };
    } catch (error) {
      await worker.terminate();
      if (!reuse) await this.#options.builder.release(build);
      throw error;
    }
  }

  /** Checks what a module needs is there before it starts. */
  #checkNeeds(manifest: ModuleManifest): void {
    for (const service of manifest.provides) {
      const other = [...this.#records.values()].find(
        (r) => r.name !== manifest.name && LOADED.has(r.state) && r.manifest?.provides.includes(service),
      );
      if (other) {
        throw new StarStreamerError(
          RuntimeErrorCodes.SERVICE_DUPLICATE,
          `${manifest.name} provides the service "${service}", which ${other.name} already provides; one service has one provider`,
          { data: { module: manifest.name, service, provider: other.name } },
        );
      }
    }
    const absent = manifest.dependencies.filter((d) => !this.#isEnabled(d));
    if (absent.length > 0) {
      const why = absent.map((d) => {
        const r = this.#records.get(d);
        return r ? `${d} (${r.state}${r.reason ? `: ${r.reason}` : ""})` : `${d} (not found)`;
      });
      throw new StarStreamerError(
        RuntimeErrorCodes.DEPENDENCY_MISSING,
        `${manifest.name} depends on ${why.join(", ")}`,
        { data: { module: manifest.name, missing: absent } },
      );
    }
    const providers = this.#serviceProviders([]);
    for (const p of manifest.provides) providers.set(p, manifest.name);
    const services = manifest.requires.filter((s) => !providers.has(s));
    if (services.length > 0) {
      throw new StarStreamerError(
        RuntimeErrorCodes.SERVICE_MISSING,
        `${manifest.name} requires the service${services.length > 1 ? "s" : ""} ${services.map((s) => `"${s}"`).join(", ")}, which no loaded module provides`,
        { data: { module: manifest.name, services } },
      );
    }
  }

  /** Runs initialize + registerActions in a prepared worker and compiles its handler table. */
  async #initialize(
    record: ModuleRecord,
    worker: ModuleWorker,
    manifest: ModuleManifest,
  ): Promise<CompiledHandler[]> {
    this.#checkNeeds(manifest);
    const table = await worker.call(
      (api) => api.start(this.#settings(record.name).config),
      this.#options.timeouts?.start ?? 15_000,
    );
    const compiled = this.#compile(record.name, table);
    this.#tables.set(worker, compiled);
    return compiled;
  }

  /** Checks a handler table is well-formed and compiles its triggers (the health check of a new worker). */
  #compile(module: string, table: HandlerInfo[]): CompiledHandler[] {
    if (!Array.isArray(table)) {
      throw new StarStreamerError(
        RuntimeErrorCodes.WORKER_UNHEALTHY,
        `${module}: the worker returned no handler table`,
      );
    }
    return table.map((info, index) => {
      if (
        info.id !== index ||
        typeof info.type !== "string" ||
        typeof info.name !== "string" ||
        !Array.isArray(info.triggers)
      ) {
        throw new StarStreamerError(
          RuntimeErrorCodes.WORKER_UNHEALTHY,
          `${module}: handler ${index} is malformed`,
        );
      }
      return {
        info,
        triggers: compileTriggers(info.triggers, {
          prefix: this.#prefix,
          key: `${module}:${info.name}`,
          cooldowns: this.#cooldowns,
        }),
      };
    });
  }

  async #start(
    record: ModuleRecord,
    worker: ModuleWorker,
    build: ModuleBuild,
    manifest: ModuleManifest,
  ): Promise<void> {
    this.#setState(record, "loading");
    try {
      record.manifest = manifest;
      const handlers = await this.#initialize(record, worker, manifest);
      this.#attach(record, worker, build, handlers);
      record.reason = null;
      record.failures = [];
      this.#setState(record, record.wantEnabled ? "enabled" : "disabled");
      this.#logger.info(`loaded ${record.name} ${manifest.version}`, { module: record.name });
    } catch (error) {
      await worker.terminate();
      await this.#options.builder.release(build);
      const e = asError(error);
      this.#fail(record, e.message);
      throw e;
    }
  }

  /** Makes `worker` the one serving the module. */
  #attach(record: ModuleRecord, worker: ModuleWorker, build: ModuleBuild, handlers: CompiledHandler[]): void {
    record.worker = worker;
    record.build = build;
    record.handlers = handlers;
    worker.onDeath((death) => {
      if (record.worker === worker) this.#onFailure(record, death);
    });
    record.queue.setTarget({
      deliver: (batch) => worker.deliver(batch),
    });
    this.#rebuildIndex();
    // Service calls that waited for a restarting module go on now (also when a reload got there first).
    record.serving?.resolve();
    record.serving = null;
  }

  async #stop(record: ModuleRecord, state: "unloaded" | "failed"): Promise<void> {
    const worker = record.worker;
    const build = record.build;
    record.worker = null;
    record.handlers = [];
    this.#rebuildIndex();
    if (worker) {
      await record.queue.pause();
      record.queue.setTarget(null);
      record.queue.resume();
      if (!worker.dead) {
        try {
          await worker.call((api) => api.drain(this.#options.timeouts?.drain ?? 5000), 6000);
          await worker.call((api) => api.shutdown(), this.#options.timeouts?.shutdown ?? 5000);
        } catch (error) {
          this.#logger.warn(`shutdown did not complete: ${asError(error).message}`, { module: record.name });
        }
      }
      await worker.terminate();
    }
    const dropped = record.queue.clear();
    if (dropped > 0)
      this.#logger.warn(`${dropped} queued events dropped on ${state}`, { module: record.name });
    if (build) await this.#options.builder.release(build);
    record.build = null;
    this.#dropStandby(record.name);
    if (state === "unloaded") {
      // An unloaded module starts afresh when loaded again: no incremental build, no cooldowns.
      await this.#options.builder.forget(record.name);
      this.#cooldowns.clearModule(`${record.name}:`);
    }
    this.#setState(record, state);
  }

  async #reload(record: ModuleRecord): Promise<ReloadResult> {
    const started = performance.now();
    const old = record.worker;
    const oldBuild = record.build;
    let fresh: Prepared | null = null;
    let swapped = false;
    let paused = false;
    try {
      fresh = await this.#prepare(record);
      const handlers = await this.#initialize(record, fresh.worker, fresh.manifest);
      await fresh.worker.call((api) => api.health(), 2000);
      if (old && !old.dead) {
        // From here, events wait in the queue; none is in flight to the old worker.
        await record.queue.pause();
        paused = true;
        await old.call((api) => api.drain(this.#options.timeouts?.drain ?? 5000)).catch(() => 0);
        if (record.manifest?.canSnapshot && fresh.manifest.canSnapshot) {
          const state = await old.call((api) => api.snapshot(), 5000);
          await fresh.worker.call((api) => api.restore(state), 5000);
        }
      }
      const wasState = record.state;
      this.#remapQueued(record, handlers);
      record.manifest = fresh.manifest;
      this.#attach(record, fresh.worker, fresh.build, handlers);
      swapped = true;
      record.reason = null;
      if (wasState !== "enabled" && wasState !== "disabled") {
        // A reload that brings back a failed or restarting module gives it a fresh crash budget.
        record.failures = [];
        this.#setState(record, record.wantEnabled ? "enabled" : "disabled");
      }
      record.queue.resume();
      paused = false;
      if (old) void this.#retire(record, old, oldBuild);
      this.#prepareStandby(record);
      const durationMs = performance.now() - started;
      record.reloads.successful++;
      record.reloads.lastDurationMs = durationMs;
      await this.#options.store.recordReload({
        module: record.name,
        ok: true,
        durationMs,
        version: fresh.manifest.version,
      });
      this.#options.publish("system.module.state", {
        module: record.name,
        state: record.state,
        version: fresh.manifest.version,
        reason: "reloaded",
      });
      return { module: record.name, ok: true, version: fresh.manifest.version, durationMs, error: null };
    } catch (error) {
      const e = asError(error);
      if (fresh && !swapped) {
        await fresh.worker.terminate();
        await this.#options.builder.release(fresh.build);
      }
      if (paused) record.queue.resume();
      const durationMs = performance.now() - started;
      record.reloads.failed++;
      record.reloads.lastDurationMs = durationMs;
      if (!old) this.#fail(record, e.message);
      await this.#options.store.recordReload({
        module: record.name,
        ok: false,
        durationMs,
        error: e.message,
      });
      this.#logger.error(
        `reload failed, ${old ? "the previous version keeps serving" : "not loaded"}: ${e.message}`,
        {
          module: record.name,
        },
      );
      return {
        module: record.name,
        ok: false,
        version: record.manifest?.version ?? null,
        durationMs,
        error: e,
      };
    }
  }

  /**
   * Events queued for the old handler table carry its handler ids; the new version may add,
   * remove or reorder handlers. Queued hits follow their handler by name; a hit whose handler is
   * gone is dropped (and logged).
   */
  #remapQueued(record: ModuleRecord, next: CompiledHandler[]): void {
    const previous = record.handlers;
    if (record.queue.length === 0 || previous.length === 0) return;
    const same =
      previous.length === next.length && previous.every((h, i) => h.info.name === next[i]!.info.name);
    if (same) return;
    const byName = new Map(next.map((h) => [h.info.name, h.info.id]));
    const newId = previous.map((h) => byName.get(h.info.name) ?? -1);
    let dropped = 0;
    record.queue.rewrite((json) => {
      const entry = JSON.parse(json) as DeliveryEntry;
      entry.h = entry.h.flatMap(([id, match]): Array<[number, unknown]> => {
        const mapped = newId[id] ?? -1;
        if (mapped < 0) dropped++;
        return mapped < 0 ? [] : [[mapped, match]];
      });
      return entry.h.length > 0 ? JSON.stringify(entry) : null;
    });
    if (dropped > 0) {
      this.#logger.info(`${dropped} queued events were for handlers the new version removed`, {
        module: record.name,
      });
    }
  }

  /** The module the warm standby worker is kept for, if any. */
  get standbyFor(): string | null {
    return this.#standby && !this.#standby.worker.dead ? this.#standby.module : null;
  }

  #takeStandby(module: string): ModuleWorker | null {
    const standby = this.#standby;
    if (!standby || standby.module !== module || standby.worker.dead) return null;
    this.#standby = null;
    return standby.worker;
  }

  /** Starts the standby worker for `record` (replacing another module's). */
  #prepareStandby(record: ModuleRecord): void {
    if (!this.#options.standby || this.#closed) return;
    this.#dropStandby();
    const worker = this.#spawn(record);
    this.#standby = { module: record.name, worker };
    worker.onDeath(() => {
      if (this.#standby?.worker === worker) this.#standby = null;
    });
    void worker.call((api) => api.warm(record.build?.externals ?? []), 10_000).catch(() => {});
  }

  #dropStandby(module?: string): void {
    const standby = this.#standby;
    if (!standby || (module !== undefined && standby.module !== module)) return;
    this.#standby = null;
    void standby.worker.terminate();
  }

  /** Lets the old worker finish, shuts it down and frees its build. */
  async #retire(record: ModuleRecord, old: ModuleWorker, build: ModuleBuild | null): Promise<void> {
    try {
      if (!old.dead) {
        await old.call((api) => api.drain(this.#options.timeouts?.drain ?? 5000), 6000).catch(() => 0);
        while (record.pendingServiceCalls > 0 && !old.dead) await new Promise((r) => setTimeout(r, 5));
        await old.call((api) => api.shutdown(), this.#options.timeouts?.shutdown ?? 5000);
      }
    } catch (error) {
      this.#logger.warn(`old worker did not shut down cleanly: ${asError(error).message}`, {
        module: record.name,
      });
    } finally {
      await old.terminate();
      if (build) await this.#options.builder.release(build);
    }
  }

  /** A crash of the serving worker (or of a restart attempt): restart with backoff, or give up. */
  #onFailure(record: ModuleRecord, death: WorkerDeath): void {
    if (this.#closed) return;
    const now = Date.now();
    const windowMs = this.#options.crash?.windowMs ?? 300_000;
    record.failures = record.failures.filter((t) => now - t < windowMs);
    record.failures.push(now);
    record.worker = null;
    record.queue.setTarget(null);
    const maxFailures = this.#options.crash?.maxFailures ?? 3;
    this.#logger.error(`worker ${death.reason}: ${death.message}`, { module: record.name });
    if (record.failures.length >= maxFailures) {
      record.handlers = [];
      this.#rebuildIndex();
      const dropped = record.queue.clear();
      this.#fail(
        record,
        `${death.message} (${record.failures.length} failures within ${Math.round(windowMs / 1000)} s; left stopped${dropped ? `, ${dropped} queued events dropped` : ""})`,
      );
      const build = record.build;
      record.build = null;
      if (build) void this.#options.builder.release(build);
      return;
    }
    let resolveServing!: () => void;
    record.serving = {
      promise: new Promise<void>((r) => (resolveServing = r)),
      resolve: () => resolveServing(),
    };
    record.reason = `${death.message}; restarting`;
    this.#setState(record, "restarting");
    const base = this.#options.crash?.backoffMs ?? 250;
    const delay = Math.min(
      base * 2 ** (record.failures.length - 1),
      this.#options.crash?.maxBackoffMs ?? 10_000,
    );
    setTimeout(() => {
      void this.#serialise(record, () => this.#restart(record)).catch(() => {});
    }, delay).unref();
  }

  async #restart(record: ModuleRecord): Promise<void> {
    if (record.state !== "restarting" || this.#closed) return;
    const build = record.build;
    let worker: ModuleWorker | null = null;
    try {
      const prepared = await this.#prepare(record, build ?? undefined);
      worker = prepared.worker;
      const handlers = await this.#initialize(record, worker, prepared.manifest);
      record.restarts++;
      this.#remapQueued(record, handlers);
      this.#attach(record, worker, prepared.build, handlers);
      record.reason = null;
      this.#setState(record, record.wantEnabled ? "enabled" : "disabled");
      this.#logger.info(`restarted after a crash (${record.restarts} so far)`, { module: record.name });
      record.serving?.resolve();
      record.serving = null;
    } catch (error) {
      const e = asError(error);
      await worker?.terminate();
      // Counts as another failure: either restart again with more backoff or give up.
      this.#onFailure(record, { reason: "crashed", message: `restart failed: ${e.message}` });
    }
  }

  async #withDependents(
    record: ModuleRecord,
    cascade: boolean,
    verb: "disable" | "unload",
    active: (r: ModuleRecord) => boolean,
  ): Promise<ModuleRecord[]> {
    const dependentsOf = (r: ModuleRecord): ModuleRecord[] =>
      [...this.#records.values()].filter(
        (other) =>
          other !== r &&
          active(other) &&
          (other.manifest?.dependencies.includes(r.name) ||
            other.manifest?.requires.some((s) => r.manifest?.provides.includes(s))),
      );
    const direct = dependentsOf(record);
    if (direct.length > 0 && !cascade) {
      throw new StarStreamerError(
        RuntimeErrorCodes.DEPENDENTS_ACTIVE,
        `cannot ${verb} ${record.name}: ${direct.map((d) => d.name).join(", ")} depend${direct.length === 1 ? "s" : ""} on it (${verb} ${direct.length === 1 ? "it" : "them"} first, or cascade)`,
        { data: { module: record.name, dependents: direct.map((d) => d.name) } },
      );
    }
    // Dependents before what they depend on.
    const ordered: ModuleRecord[] = [];
    const visit = (r: ModuleRecord) => {
      for (const d of dependentsOf(r)) if (!ordered.includes(d)) visit(d);
      if (!ordered.includes(r)) ordered.push(r);
    };
    visit(record);
    return ordered;
  }

  #fail(record: ModuleRecord, reason: string): void {
    record.reason = reason;
    this.#setState(record, "failed");
    this.#logger.error(`failed: ${reason}`, { module: record.name });
  }

  #setState(record: ModuleRecord, state: ModuleState): void {
    const changed = record.state !== state;
    record.state = state;
    if (changed) {
      this.#rebuildIndex();
      this.#options.publish("system.module.state", {
        module: record.name,
        state,
        ...(record.manifest ? { version: record.manifest.version } : {}),
        ...(record.reason ? { reason: record.reason } : {}),
      });
    }
  }

  #checkHeartbeats(limitMs: number): void {
    const now = Date.now();
    for (const record of this.#records.values()) {
      const worker = record.worker;
      if (worker && !worker.dead) {
        const stalled = worker.stalledFor(now);
        if (stalled > limitMs)
          worker.kill("watchdog", `event loop blocked for ${stalled} ms (watchdog limit ${limitMs} ms)`);
      }
    }
  }
}
