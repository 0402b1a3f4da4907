import { StarStreamerError } from "starstreamer";
import { RuntimeErrorCodes } from "../errors.ts";

/**
 * The services this module provides (`ctx.provide` in initialize), and the calls other modules
 * make to them through the host.
 */
export class ProvidedServices {
  readonly #moduleName: string;
  readonly #implementations = new Map<string, Record<string, unknown>>();

  constructor(moduleName: string) {
    this.#moduleName = moduleName;
  }

  /** Records an implementation; `listed` is the module's `provides`. */
  provide(service: string, implementation: object, listed: readonly string[]): void {
    if (!listed.includes(service)) {
      throw new StarStreamerError(
        RuntimeErrorCodes.SERVICE_NOT_PROVIDED,
        `${this.#moduleName}: ctx.provide("${service}") for a service the module does not list in provides`,
      );
    }
    this.#implementations.set(service, implementation as Record<string, unknown>);
  }

  /** Throws SS_SERVICE_NOT_PROVIDED for the first listed service initialize did not provide. */
  checkAllProvided(listed: readonly string[]): void {
    for (const service of listed) {
      if (!this.#implementations.has(service)) {
        throw new StarStreamerError(
          RuntimeErrorCodes.SERVICE_NOT_PROVIDED,
          `${this.#moduleName} lists "${service}" in provides but did not call ctx.provide("${service}", ...) in initialize`,
        );
      }
    }
  }

  /** Runs a method of a provided service for a caller in another module. */
  async call(service: string, method: string, args: unknown[]): Promise<unknown> {
    const implementation = this.#implementations.get(service);
    if (!implementation) {
      throw new StarStreamerError(
        RuntimeErrorCodes.SERVICE_NOT_PROVIDED,
        `${this.#moduleName} does not provide "${service}"`,
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
  }
}
