import { type CommandInfo, StarStreamerError } from "starstreamer";
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

/** Builds the object a module's worker calls the host through (over Comlink; plugin calls on the event port). */
export function createHostApi(module: string, deps: HostApiDeps): Omit<HostApi, "report"> {
  const namespace = `custom.${module}.`;
  const logger = deps.logger.child({ module });
  return {
    // The plugin hub checks the method is one the plugin offers to modules.
    callPlugin(plugin, method, args) {
      return deps.plugins.call(module, plugin, method, args);
    },
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
