import type { ModuleManifest } from "starstreamer/internal";
import { StarStreamerError } from "starstreamer/internal";
import { RuntimeErrorCodes } from "../errors.ts";
import type { HandlerInfo, ModuleWorkerApi, WorkerBinding, WorkerHealth } from "./protocol.ts";
import type { ModuleWorkerRuntime } from "./worker-api.ts";

/**
 * What the host calls over Comlink before and after the worker knows its module. A worker boots
 * unbound (the host keeps a spare one booted ahead of the next reload); the first `load` binds it
 * to one module for good, composing that module's runtime. Until then only `warm` and `health`
 * answer.
 */
export class WorkerShell implements ModuleWorkerApi {
  readonly #compose: (binding: WorkerBinding) => ModuleWorkerRuntime;
  #bound: { binding: WorkerBinding; runtime: ModuleWorkerRuntime } | null = null;

  constructor(compose: (binding: WorkerBinding) => ModuleWorkerRuntime) {
    this.#compose = compose;
  }

  /** The module this worker runs, once bound. */
  get module(): string | null {
    return this.#bound?.binding.module ?? null;
  }

  async warm(urls: string[]): Promise<number> {
    const loaded = await Promise.allSettled(urls.map((url) => import(url)));
    return loaded.filter((r) => r.status === "fulfilled").length;
  }

  load(bundleUrl: string, binding: WorkerBinding): Promise<ModuleManifest> {
    if (this.#bound && this.#bound.binding.module !== binding.module) {
      throw new StarStreamerError(
        RuntimeErrorCodes.MODULE_STATE,
        `this worker runs ${this.#bound.binding.module}; it cannot load ${binding.module}`,
      );
    }
    this.#bound ??= { binding, runtime: this.#compose(binding) };
    return this.#bound.runtime.load(bundleUrl);
  }

  start(config: unknown): Promise<HandlerInfo[]> {
    return this.#runtime().start(config);
  }

  drain(timeoutMs: number): Promise<number> {
    return this.#bound ? this.#bound.runtime.drain(timeoutMs) : Promise.resolve(0);
  }

  snapshot(): Promise<unknown> {
    return this.#runtime().snapshot();
  }

  restore(state: unknown): Promise<void> {
    return this.#runtime().restore(state);
  }

  async shutdown(): Promise<void> {
    await this.#bound?.runtime.shutdown();
  }

  callService(service: string, method: string, args: unknown[]): Promise<unknown> {
    return this.#runtime().callService(service, method, args);
  }

  health(): WorkerHealth {
    return this.#bound ? this.#bound.runtime.health() : { running: 0 };
  }

  #runtime(): ModuleWorkerRuntime {
    if (!this.#bound) {
      throw new StarStreamerError(RuntimeErrorCodes.MODULE_STATE, "no module is loaded in this worker yet");
    }
    return this.#bound.runtime;
  }
}
