import { type CommandInfo, type Plugins, StarStreamerError } from "starstreamer";
import type { EventBus } from "../bus/event-bus.ts";
import { RuntimeErrorCodes } from "../errors.ts";
import type { JobPool } from "../jobs/job-pool.ts";
import type { HostLogger } from "../logger.ts";
import type { PluginHub } from "../plugins/plugin-hub.ts";
import type { ServiceBroker } from "../services/service-broker.ts";
import type { HostApi } from "../worker/protocol.ts";

/** What a module's host API is made from. */
export interface HostApiDeps {
  plugins: PluginHub;
  bus: EventBus;
  services: ServiceBroker;
  jobs: JobPool;
  /** The chat commands of every enabled module. */
  commands(): CommandInfo[];
  /** The built job file of a module, if it has that job. */
  jobFile(module: string, job: string): string | null;
  logger: HostLogger;
}

/**
 * A plugin as one module reaches it: each method call goes through the plugin hub, which checks
 * the method is one the plugin offers to modules. Comlink resolves `twitch.sendMessage` on this
 * object by property access, so the proxy answers any name and the hub decides.
 */
function pluginFacade(name: keyof Plugins & string, deps: HostApiDeps, module: string): object {
  return new Proxy(
    {},
    {
      get(_target, method) {
        if (typeof method !== "string" || method === "then") return undefined;
        return (...args: unknown[]) => deps.plugins.call(module, name, method, args);
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
      return deps.services.call(module, service, method, args);
    },
    async listCommands() {
      return deps.commands();
    },
    async runJob(name, input, options) {
      const file = deps.jobFile(module, name);
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
