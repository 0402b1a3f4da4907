/**
 * The StarStreamer host: event bus, trigger routing, module workers, registry, hot reload.
 *
 * @packageDocumentation
 */
export { findModuleEntry, type ModuleBuild, ModuleBuilder } from "./build/module-builder.ts";
export { VendorBundles } from "./build/vendor-bundles.ts";
export { DeliveryQueue } from "./bus/delivery-queue.ts";
export { EventBus } from "./bus/event-bus.ts";
export { asError, RuntimeErrorCodes } from "./errors.ts";
export { createHost, type Host, type HostOptions } from "./host.ts";
export { JobPool, type JobPoolOptions } from "./jobs/job-pool.ts";
export { applyModuleChange, type ModuleChange, reloadChange } from "./lifecycle/apply-change.ts";
export {
  createLogger,
  formatRecord,
  type HostLogger,
  type LogRecord,
  redact,
  redactText,
  registerSecret,
} from "./logger.ts";
export { PluginHub, pluginFromObject } from "./plugins/plugin-hub.ts";
export { isLoadedState, MODULE_STATES } from "./registry/module-record.ts";
export {
  type ModuleInfo,
  ModuleRegistry,
  type ModuleSettings,
  type ModuleState,
  type RegistryLimits,
  type RegistryStats,
  type ReloadResult,
} from "./registry/module-registry.ts";
export type { LogLevel } from "./worker/protocol.ts";
