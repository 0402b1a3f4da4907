/**
 * The StarStreamer host: event bus, trigger routing, module workers, registry, hot reload.
 *
 * @packageDocumentation
 */
export { findModuleEntry, type ModuleBuild, ModuleBuilder } from "./build/module-builder.ts";
export { VendorBundles } from "./build/vendor-bundles.ts";
export { DeliveryQueue } from "./bus/delivery-queue.ts";
export { EventBus } from "./bus/event-bus.ts";
export { RuntimeErrorCodes } from "./errors.ts";
export { createHost, type Host, type HostOptions } from "./host.ts";
export { JobPool, type JobPoolOptions } from "./jobs/job-pool.ts";
export { createLogger, formatRecord, type HostLogger, type LogRecord, redact } from "./logger.ts";
export {
  type ModuleInfo,
  ModuleRegistry,
  type ModuleSettings,
  type ModuleState,
  type RegistryStats,
  type ReloadResult,
} from "./registry/module-registry.ts";
export type { LogLevel } from "./worker/protocol.ts";
