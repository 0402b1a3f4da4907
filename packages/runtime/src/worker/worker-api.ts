import type { BaseModule, LifecycleContext } from "starstreamer";
import { StarStreamerError } from "starstreamer";
import { ATTACH_CONTEXT, type ModuleManifest, readManifest } from "starstreamer/internal";
import { RuntimeErrorCodes } from "../errors.ts";
import type { HandlerRunner } from "./handler-runner.ts";
import { createModuleContext } from "./module-context.ts";
import { importModule, type OpenedDatabase, openDatabase, parseModuleConfig } from "./module-loader.ts";
import type { HandlerInfo, HostRemote, ModuleWorkerData, WorkerBinding, WorkerHealth } from "./protocol.ts";
import type { ProvidedServices } from "./provided-services.ts";
import type { RegistrationScope } from "./registration-scope.ts";
import { rememberCallSites, withModuleLocation } from "./source-location.ts";

/** The parts a {@link ModuleWorkerRuntime} is composed of. */
export interface WorkerParts {
  data: ModuleWorkerData;
  binding: WorkerBinding;
  host: HostRemote;
  scope: RegistrationScope;
  runner: HandlerRunner;
  provided: ProvidedServices;
}

/**
 * The one module a worker runs, through its lifecycle: load (import and check), start (config,
 * database, initialize, registerActions), snapshot/restore, shutdown. Its methods are the API the
 * host calls over Comlink through the worker's shell (worker-shell.ts, which binds the worker to
 * its module first).
 */
export class ModuleWorkerRuntime {
  readonly #parts: WorkerParts;
  #module: { instance: BaseModule<unknown>; manifest: ModuleManifest } | undefined;
  #context: LifecycleContext<unknown> | undefined;
  #database: OpenedDatabase | undefined;

  constructor(parts: WorkerParts) {
    this.#parts = parts;
  }

  /** The module's context once started; every handler run's context inherits from it. */
  get context(): LifecycleContext<unknown> | undefined {
    return this.#context;
  }

  async load(bundleUrl: string): Promise<ModuleManifest> {
    // Open before the import: an actions file imported at the top of module.ts registers then.
    this.#parts.scope.open();
    let instance: BaseModule<unknown>;
    let manifest: ModuleManifest;
    try {
      instance = await importModule(bundleUrl, this.#parts.binding.module);
      manifest = readManifest(instance);
    } catch (error) {
      throw withModuleLocation(error);
    }
    this.#module = { instance, manifest };
    return manifest;
  }

  async start(rawConfig: unknown): Promise<HandlerInfo[]> {
    const { instance, manifest } = this.#loaded();
    const { data, binding, host, scope, provided } = this.#parts;
    const config = parseModuleConfig(instance, binding.module, rawConfig);
    if (manifest.usesDatabase) {
      this.#database = await openDatabase({
        databaseEntryUrl: data.databaseEntryUrl,
        dataDir: data.dataDir,
        moduleName: binding.module,
        module: instance,
      });
    }
    const context = createModuleContext({ host, manifest, config, db: this.#database?.db, provided });
    // A failed plugin call in initialize then names the module's line, not only the host's stack.
    const plugins = context as unknown as {
      twitch: object;
      obs: object;
      plugins: { twitch: object; obs: object };
    };
    // Only while starting: capturing a stack on every call a handler makes would cost each reply.
    let starting = true;
    plugins.twitch = rememberCallSites(plugins.twitch, () => starting);
    plugins.obs = rememberCallSites(plugins.obs, () => starting);
    plugins.plugins = { twitch: plugins.twitch, obs: plugins.obs };
    this.#context = context;
    instance[ATTACH_CONTEXT](this.#context);
    try {
      await instance.initialize();
      await instance.registerActions();
    } catch (error) {
      // Say where in the module's source: a bad property access, a bad trigger option.
      throw withModuleLocation(error);
    } finally {
      starting = false;
    }
    scope.close();
    provided.checkAllProvided(manifest.provides);
    return scope.handlers.map((h) => h.info);
  }

  drain(timeoutMs: number): Promise<number> {
    return this.#parts.runner.drain(timeoutMs);
  }

  async snapshot(): Promise<unknown> {
    const { instance } = this.#loaded();
    return instance.snapshot ? await instance.snapshot() : undefined;
  }

  async restore(state: unknown): Promise<void> {
    const { instance } = this.#loaded();
    if (instance.restore) await instance.restore(state);
  }

  async shutdown(): Promise<void> {
    const { runner, host } = this.#parts;
    runner.flushReports();
    try {
      if (this.#context) await this.#loaded().instance.shutdown();
    } finally {
      const database = this.#database;
      this.#database = undefined;
      await database?.close();
      runner.flushReports();
      // The host port and parentPort are separate channels: wait until the host has read every
      // log line and report sent so far, so nothing written during shutdown is lost.
      await host.flush();
    }
  }

  callService(service: string, method: string, args: unknown[]): Promise<unknown> {
    return this.#parts.provided.call(service, method, args);
  }

  health(): WorkerHealth {
    // Answering at all is the liveness check; memory figures travel in the heartbeat slots.
    return { running: this.#parts.runner.running };
  }

  #loaded(): { instance: BaseModule<unknown>; manifest: ModuleManifest } {
    if (!this.#module) {
      throw new StarStreamerError(RuntimeErrorCodes.MODULE_STATE, "the module is not loaded in this worker");
    }
    return this.#module;
  }
}
