/**
 * The entry of every module worker. It imports the module's bundle, gives the module its
 * context, registers its handlers and runs them as the host delivers events. Everything here is
 * bundled by esbuild into one file at host start (see build/runtime-bundle.ts).
 */
import { performance } from "node:perf_hooks";
import { getHeapStatistics } from "node:v8";
import { parentPort, workerData } from "node:worker_threads";
import * as Comlink from "comlink";
import nodeEndpoint from "comlink/dist/esm/node-adapter.mjs";
import {
  ATTACH_CONTEXT,
  type BaseModule,
  type HandlerRegistration,
  type LifecycleContext,
  MODULE_MARK,
  MODULE_SCOPE,
  type ModuleManifest,
  type ModuleScope,
  readManifest,
  SdkErrorCodes,
  StarStreamerError,
  type TriggerDescriptor,
} from "starstreamer";
import { installErrorTransfer, serializeError } from "../comlink/error-transfer.ts";
import { RuntimeErrorCodes } from "../errors.ts";
import type {
  DeliveryEntry,
  HandlerInfo,
  HandlerReport,
  HostApi,
  LogLevel,
  ModuleWorkerApi,
  ModuleWorkerData,
  ReportedError,
  WorkerHealth,
} from "./protocol.ts";

installErrorTransfer();
process.setSourceMapsEnabled(true);

const data = workerData as ModuleWorkerData;
const host = Comlink.wrap<HostApi>(nodeEndpoint(data.hostPort));

// The watchdog on the host reads this slot; a blocked event loop stops stamping it.
const heartbeat = new BigInt64Array(data.heartbeat);
Atomics.store(heartbeat, 0, BigInt(Date.now()));
let beats = 0;
const stampHeap = () => Atomics.store(heartbeat, 1, BigInt(getHeapStatistics().used_heap_size));
stampHeap();
setInterval(() => {
  Atomics.store(heartbeat, 0, BigInt(Date.now()));
  if (++beats % 10 === 0) stampHeap();
}, 100).unref();

interface Registered {
  info: HandlerInfo;
  run: HandlerRegistration["handler"];
  predicates: Array<(event: never, ctx: never) => unknown>;
  logger: LifecycleContext["logger"];
}

const handlers: Registered[] = [];
const services = new Map<string, Record<string, unknown>>();
let instance: BaseModule<unknown> | undefined;
let manifest: ModuleManifest | undefined;
let moduleCtx: LifecycleContext<unknown> | undefined;
let database: { close(): void } | undefined;

function makeLogger(tags: Record<string, unknown>): LifecycleContext["logger"] {
  const send = (level: LogLevel) => (message: string, fields?: Record<string, unknown>) => {
    let safe: Record<string, unknown> = tags;
    if (fields !== undefined) {
      try {
        safe = { ...(JSON.parse(JSON.stringify(fields)) as Record<string, unknown>), ...tags };
      } catch {
        safe = { ...tags, fields: "[not serialisable]" };
      }
    }
    void host.log(level, String(message), safe);
  };
  return { debug: send("debug"), info: send("info"), warn: send("warn"), error: send("error") };
}

process.on("unhandledRejection", (reason) => {
  // A forgotten `await` must not take the whole module down; say where it came from instead.
  const error = serializeError(reason);
  void host.log("error", `unhandled promise rejection: ${error.message}`, {
    module: data.moduleName,
    stack: error.stack,
  });
});

function openScope(): () => void {
  const scope: ModuleScope = {
    register(registration) {
      const predicates: Registered["predicates"] = [];
      const triggers: TriggerDescriptor[] = registration.triggers.map((trigger) => {
        if (typeof trigger === "function") {
          predicates.push(trigger as Registered["predicates"][number]);
          return { kind: "predicate", index: predicates.length - 1 };
        }
        if (trigger === null || typeof trigger !== "object" || typeof trigger.kind !== "string") {
          throw new StarStreamerError(
            SdkErrorCodes.TRIGGER_INVALID,
            `on("${registration.type}"): a trigger must come from command(), regex(), keyword(), userLevel(), cooldown() or be a function`,
          );
        }
        return trigger;
      });
      const base = registration.options.name ?? registration.handler.name;
      let name = base && base !== "anonymous" ? base : `${registration.type}#${handlers.length + 1}`;
      for (let n = 2; handlers.some((h) => h.info.name === name); n++) name = `${base}#${n}`;
      handlers.push({
        info: {
          id: handlers.length,
          name,
          type: registration.type,
          triggers,
          deadlineMs: registration.options.deadlineMs ?? null,
        },
        run: registration.handler,
        predicates,
        logger: makeLogger({ module: data.moduleName, handler: name }),
      });
    },
  };
  const global = globalThis as { [MODULE_SCOPE]?: ModuleScope };
  global[MODULE_SCOPE] = scope;
  return () => {
    delete global[MODULE_SCOPE];
  };
}

let closeScope: (() => void) | undefined;

function requireInstance(): BaseModule<unknown> {
  if (!instance)
    throw new StarStreamerError(RuntimeErrorCodes.MODULE_STATE, "the module is not loaded in this worker");
  return instance;
}

function makeContext(config: unknown, db: unknown): LifecycleContext<unknown> {
  const name = data.moduleName;
  const requires = new Set(manifest?.requires ?? []);
  const serviceProxies = new Map<string, object>();
  const servicesView = new Proxy(
    {},
    {
      get(_target, service) {
        if (typeof service !== "string") return undefined;
        if (!requires.has(service)) {
          throw new StarStreamerError(
            RuntimeErrorCodes.SERVICE_MISSING,
            `${name}: ctx.services.${service} is not declared; add "${service}" to the module's requires`,
          );
        }
        let proxy = serviceProxies.get(service);
        if (!proxy) {
          proxy = new Proxy(
            {},
            {
              get(_t, method) {
                if (typeof method !== "string" || method === "then") return undefined;
                return (...args: unknown[]) => host.callService(service, method, args);
              },
            },
          );
          serviceProxies.set(service, proxy);
        }
        return proxy;
      },
    },
  );
  const noDatabase = () => {
    throw new StarStreamerError(
      RuntimeErrorCodes.MODULE_STATE,
      `${name}: ctx.db needs a database: declare migrations (or database: true) on the module`,
    );
  };
  const ctx = {
    module: { name, version: manifest?.version ?? "0.0.0" },
    twitch: host.twitch,
    obs: host.obs,
    plugins: { twitch: host.twitch, obs: host.obs },
    bus: { emit: (type: string, payload: Record<string, unknown>) => host.emit(type, payload) },
    logger: makeLogger({ module: name }),
    config,
    jobs: {
      run: (job: string, input: unknown, options?: { timeoutMs?: number }) =>
        host.runJob(job, input, options),
    },
    services: servicesView,
    provide(service: string, implementation: object) {
      if (!manifest?.provides.includes(service)) {
        throw new StarStreamerError(
          RuntimeErrorCodes.SERVICE_NOT_PROVIDED,
          `${name}: ctx.provide("${service}") for a service the module does not list in provides`,
        );
      }
      services.set(service, implementation as Record<string, unknown>);
    },
  };
  Object.defineProperty(ctx, "db", { get: db === undefined ? noDatabase : () => db, enumerable: true });
  return ctx as unknown as LifecycleContext<unknown>;
}

// Handler runs, started in delivery order right after the batch is acknowledged.
const inbox: DeliveryEntry[] = [];
const running = new Map<
  number,
  { handler: string; eventId: string; started: number; deadline: number; slow: boolean }
>();
let runSeq = 0;
let reports: HandlerReport[] = [];
let drainWaiters: Array<() => void> = [];

function flushReports(): void {
  if (reports.length === 0) return;
  const batch = reports;
  reports = [];
  void host.report(JSON.stringify(batch));
}

function settled(): void {
  if (running.size === 0 && inbox.length === 0 && drainWaiters.length > 0) {
    const waiters = drainWaiters;
    drainWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

async function runHandler(registered: Registered, event: { id: string }, match: unknown): Promise<void> {
  const ctx = Object.create(moduleCtx as object) as Record<string, unknown>;
  ctx.handler = registered.info.name;
  ctx.match = match ?? {};
  ctx.logger = registered.logger;
  const seq = runSeq++;
  const started = performance.now();
  running.set(seq, {
    handler: registered.info.name,
    eventId: event.id,
    started,
    deadline: registered.info.deadlineMs ?? data.deadlineMs,
    slow: false,
  });
  let error: ReportedError | null = null;
  let skipped = false;
  try {
    let pass = true;
    for (const predicate of registered.predicates) {
      if (!(await predicate(event as never, ctx as never))) {
        pass = false;
        break;
      }
    }
    if (pass) await registered.run(event as never, ctx as never);
    else skipped = true;
  } catch (thrown) {
    const { name, message, code, stack } = serializeError(thrown);
    error = { name, message, code, stack };
  } finally {
    running.delete(seq);
    if (reports.length === 0) setImmediate(flushReports);
    const ms = performance.now() - started;
    if (skipped) {
      const userId = (event as { data?: { user?: { id?: string } } }).data?.user?.id ?? null;
      reports.push([registered.info.id, ms, event.id, null, { userId, match: ctx.match }]);
    } else if (error) {
      reports.push([registered.info.id, ms, event.id, error]);
    } else {
      reports.push([registered.info.id, ms]);
    }
    settled();
  }
}

function runInbox(): void {
  const entries = inbox.splice(0, inbox.length);
  for (const entry of entries) {
    const event = entry.e as { id: string };
    for (const [id, match] of entry.h) {
      const registered = handlers[id];
      if (registered) void runHandler(registered, event, match);
    }
  }
  settled();
}

// Report handlers past their deadline once each; a blocked loop is the host watchdog's business.
setInterval(() => {
  const now = performance.now();
  for (const run of running.values()) {
    if (!run.slow && now - run.started > run.deadline) {
      run.slow = true;
      void host.slow(run.handler, run.eventId, Math.round(now - run.started));
    }
  }
}, 250).unref();

const api: ModuleWorkerApi = {
  async warm(urls) {
    const loaded = await Promise.allSettled(urls.map((url) => import(url)));
    return loaded.filter((r) => r.status === "fulfilled").length;
  },

  async load(bundleUrl) {
    closeScope = openScope();
    const exported = ((await import(bundleUrl)) as { default?: unknown }).default;
    const isModuleClass =
      typeof exported === "function" &&
      (exported as unknown as Record<symbol, unknown>)[MODULE_MARK] === true;
    if (!isModuleClass) {
      throw new StarStreamerError(
        RuntimeErrorCodes.MODULE_EXPORT_INVALID,
        `${data.moduleName}: module.ts must default-export a class extending BaseModule or the result of defineModule(...)`,
      );
    }
    instance = new (exported as new () => BaseModule<unknown>)();
    manifest = readManifest(instance);
    return manifest;
  },

  async start(rawConfig) {
    const module = requireInstance();
    let config: unknown = rawConfig ?? {};
    if (module.configSchema) {
      const parsed = module.configSchema.safeParse(config);
      if (!parsed.success) {
        const problems = parsed.error.issues.map(
          (issue) =>
            `modules.${data.moduleName}.config${issue.path.map((p) => `.${String(p)}`).join("")}: ${issue.message}`,
        );
        throw new StarStreamerError(
          SdkErrorCodes.CONFIG_INVALID,
          `config of ${data.moduleName} is not valid: ${problems.join("; ")}`,
          {
            data: { problems },
          },
        );
      }
      config = parsed.data;
    }
    let db: unknown;
    if (manifest?.usesDatabase) {
      const storage = (await import(data.databaseEntryUrl)) as typeof import("@starstreamer/storage");
      const opened = await storage.openModuleDatabase({
        dataDir: data.dataDir,
        module: data.moduleName,
        migrations: (module.migrations ?? {}) as Parameters<
          typeof storage.openModuleDatabase
        >[0]["migrations"],
      });
      database = opened;
      db = opened.db;
    }
    moduleCtx = makeContext(config, db);
    module[ATTACH_CONTEXT](moduleCtx);
    await module.initialize();
    await module.registerActions();
    closeScope?.();
    for (const service of manifest?.provides ?? []) {
      if (!services.has(service)) {
        throw new StarStreamerError(
          RuntimeErrorCodes.SERVICE_NOT_PROVIDED,
          `${data.moduleName} lists "${service}" in provides but did not call ctx.provide("${service}", ...) in initialize`,
        );
      }
    }
    return handlers.map((h) => h.info);
  },

  drain(timeoutMs) {
    return new Promise<number>((resolve) => {
      const timer = setTimeout(() => resolve(running.size + inbox.length), timeoutMs);
      drainWaiters.push(() => {
        clearTimeout(timer);
        resolve(0);
      });
      settled();
    });
  },

  async snapshot() {
    const module = requireInstance();
    return module.snapshot ? await module.snapshot() : undefined;
  },

  async restore(state) {
    const module = requireInstance();
    if (module.restore) await module.restore(state);
  },

  async shutdown() {
    flushReports();
    try {
      if (moduleCtx) await requireInstance().shutdown();
    } finally {
      database?.close();
      database = undefined;
      flushReports();
      // The host port and parentPort are separate channels: wait until the host has read every
      // log line and report sent so far, so nothing written during shutdown is lost.
      await host.flush();
    }
  },

  async callService(service, method, args) {
    const implementation = services.get(service);
    if (!implementation) {
      throw new StarStreamerError(
        RuntimeErrorCodes.SERVICE_MISSING,
        `${data.moduleName} does not provide "${service}"`,
      );
    }
    const fn = implementation[method];
    if (typeof fn !== "function") {
      throw new StarStreamerError(
        RuntimeErrorCodes.SERVICE_METHOD_MISSING,
        `service "${service}" has no method "${method}"`,
      );
    }
    return await (fn as (...a: unknown[]) => unknown).apply(implementation, args);
  },

  health(): WorkerHealth {
    const heap = getHeapStatistics();
    return {
      name: manifest?.name ?? data.moduleName,
      handlers: handlers.length,
      running: running.size,
      heapUsedMb: heap.used_heap_size / 1048576,
      heapTotalMb: heap.total_heap_size / 1048576,
    };
  },
};

// The event path: acknowledge first (so a handler that never returns cannot hold the batch, and
// the host never delivers it twice), then start the handlers in order, in this same turn.
data.eventPort.on("message", ([seq, batch]: [number, string]) => {
  data.eventPort.postMessage(seq);
  const entries = JSON.parse(batch) as DeliveryEntry[];
  for (const entry of entries) inbox.push(entry);
  runInbox();
});

if (!parentPort) throw new Error("worker-main must run in a worker thread");
Comlink.expose(api, nodeEndpoint(parentPort));
