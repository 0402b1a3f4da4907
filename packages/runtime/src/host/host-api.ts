import { type Plugins, StarStreamerError } from "starstreamer";
import type { EventBus } from "../bus/event-bus.ts";
import { RuntimeErrorCodes } from "../errors.ts";
import type { JobPool } from "../jobs/job-pool.ts";
import type { HostLogger } from "../logger.ts";
import type { ModuleRegistry } from "../registry/module-registry.ts";
import type { HostApi } from "../worker/protocol.ts";

/** What a module's host API is made from. */
export interface HostApiDeps {
  plugins: Partial<Plugins>;
  bus: EventBus;
  registry: () => ModuleRegistry;
  jobs: JobPool;
  logger: HostLogger;
}

/**
 * A plugin as one module reaches it: every public method of the plugin object, called on the
 * main thread; a plugin the host does not have answers with SS_PLUGIN_UNAVAILABLE.
 */
function pluginFacade(name: keyof Plugins, deps: HostApiDeps, module: string): object {
  return new Proxy(
    {},
    {
      get(_target, method) {
        if (typeof method !== "string" || method === "then" || method.startsWith("_")) return undefined;
        return async (...args: unknown[]) => {
          const plugin = deps.plugins[name] as Record<string, unknown> | undefined;
          if (!plugin) {
            throw new StarStreamerError(
              RuntimeErrorCodes.PLUGIN_UNAVAILABLE,
              `${module} called ${name}.${method}, but the ${name} plugin is not connected in this host`,
            );
          }
          const fn = plugin[method];
          if (typeof fn !== "function") {
            throw new StarStreamerError(
              RuntimeErrorCodes.PLUGIN_UNAVAILABLE,
              `the ${name} plugin has no method ${method}`,
            );
          }
          return await (fn as (...a: unknown[]) => unknown).apply(plugin, args);
        };
      },
    },
  );
}

/** Builds the object a module's worker calls the host through (over Comlink). */
export function createHostApi(module: string, deps: HostApiDeps): Omit<HostApi, "report"> {
  const namespace = `custom.${module}.`;
  const logger = deps.logger.child({ module });
  return {
    twitch: pluginFacade("twitch", deps, module) as HostApi["twitch"],
    obs: pluginFacade("obs", deps, module) as HostApi["obs"],
    async emit(type, data) {
      if (typeof type !== "string" || !type.startsWith(namespace)) {
        throw new StarStreamerError(
          RuntimeErrorCodes.EMIT_FORBIDDEN,
          `${module} may emit only its own events, named "${namespace}<name>" (got ${JSON.stringify(type)})`,
        );
      }
      deps.bus.emit(type, data, `module:${module}`);
    },
    callService(service, method, args) {
      return deps.registry().callService(module, service, method, args);
    },
    async runJob(name, input, options) {
      const file = deps.registry().jobFile(module, name);
      if (!file) {
        throw new StarStreamerError(
          RuntimeErrorCodes.JOBS_NOT_FOUND,
          `${module} has no job "${name}" (expected jobs/${name}.ts)`,
        );
      }
      return await deps.jobs.run(file, input, { ...options, name: `${module}/${name}` });
    },
    slow(handler, eventId, runningMs) {
      logger.warn(`handler still running after ${runningMs} ms (past its deadline)`, { handler, eventId });
    },
    log(level, message, fields) {
      logger.log(level, message, fields);
    },
    flush() {},
  };
}
