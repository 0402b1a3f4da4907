import type { LifecycleContext } from "starstreamer";
import { StarStreamerError } from "starstreamer";
import type { ModuleManifest } from "starstreamer/internal";
import { RuntimeErrorCodes } from "../errors.ts";
import { createModuleLogger } from "./module-logger.ts";
import type { HostRemote } from "./protocol.ts";
import type { ProvidedServices } from "./provided-services.ts";

/** What {@link createModuleContext} builds the context from. */
export interface ModuleContextParts {
  host: HostRemote;
  manifest: ModuleManifest;
  /** The validated config. */
  config: unknown;
  /** The module's Kysely handle, or undefined when it declares no database. */
  db: unknown;
  provided: ProvidedServices;
}

/** `ctx.services`: one proxy per required service, each method a call through the host. */
function servicesView(host: HostRemote, manifest: ModuleManifest): object {
  const requires = new Set(manifest.requires);
  const proxies = new Map<string, object>();
  return new Proxy(
    {},
    {
      get(_target, service) {
        if (typeof service !== "string") return undefined;
        if (!requires.has(service)) {
          throw new StarStreamerError(
            RuntimeErrorCodes.SERVICE_NOT_REQUIRED,
            `${manifest.name}: ctx.services.${service} is not declared; add "${service}" to the module's requires`,
          );
        }
        let proxy = proxies.get(service);
        if (!proxy) {
          proxy = new Proxy(
            {},
            {
              get(_t, method) {
                // "then" is probed by `await`; a service proxy is not a promise.
                if (typeof method !== "string" || method === "then") return undefined;
                return (...args: unknown[]) => host.callService(service, method, args);
              },
            },
          );
          proxies.set(service, proxy);
        }
        return proxy;
      },
    },
  );
}

/**
 * The context a module's lifecycle methods get (`this.ctx`, or the argument in `defineModule`);
 * each handler run gets a child of it with `handler`, `match` and its own logger.
 */
export function createModuleContext(parts: ModuleContextParts): LifecycleContext<unknown> {
  const { host, manifest, config, db, provided } = parts;
  const name = manifest.name;
  const noDatabase = () => {
    throw new StarStreamerError(
      RuntimeErrorCodes.DATABASE_NOT_DECLARED,
      `${name}: ctx.db needs a database: declare migrations (or database: true) on the module`,
    );
  };
  const ctx = {
    module: { name, version: manifest.version },
    twitch: host.twitch,
    obs: host.obs,
    plugins: { twitch: host.twitch, obs: host.obs },
    bus: { emit: (type: string, payload: Record<string, unknown>) => host.emit(type, payload) },
    logger: createModuleLogger(host, { module: name }),
    config,
    jobs: {
      run: (job: string, input: unknown, options?: { timeoutMs?: number }) =>
        host.runJob(job, input, options),
    },
    services: servicesView(host, manifest),
    commands: { list: () => host.listCommands() },
    provide(service: string, implementation: object) {
      provided.provide(service, implementation, manifest.provides);
    },
  };
  Object.defineProperty(ctx, "db", { get: db === undefined ? noDatabase : () => db, enumerable: true });
  return ctx as unknown as LifecycleContext<unknown>;
}
