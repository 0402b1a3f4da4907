/**
 * `starstreamer/internal`: the SDK as the framework's own packages (runtime, CLI, plugins, storage,
 * testing) use it. Everything public, plus what module authors never touch: the worker's hooks
 * into a module (scope, context attachment, manifest), the event schemas and validation, simulated
 * event data, the project config parser, the trigger contract's schema and the SDK's error codes.
 * Modules import `starstreamer`, never this.
 *
 * @packageDocumentation
 */

export * from "./config/project-config.ts";
export { SdkErrorCodes } from "./errors.ts";
export * from "./events/defaults.ts";
export { USER_LEVELS, userLevelOf } from "./events/event.ts";
export { builtInEventSchemas } from "./events/event-map.ts";
export * from "./events/schemas.ts";
export * from "./events/validate.ts";
export * from "./index.ts";
export {
  ATTACH_CONTEXT,
  MODULE_MARK,
  type ModuleManifest,
  readManifest,
} from "./module/base-module.ts";
export { type HandlerRegistration, MODULE_SCOPE, type ModuleScope } from "./module/scope.ts";
export * from "./triggers/descriptor-schema.ts";
export { usageOf } from "./triggers/descriptors.ts";
export { parseDuration } from "./triggers/duration.ts";
