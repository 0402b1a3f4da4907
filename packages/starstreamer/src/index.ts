/**
 * The StarStreamer SDK: what a module imports as `starstreamer`. It holds what module authors use
 * (the module forms, `on` and the triggers, the event types, the context, config helpers, the
 * error class, the plugin API types); what the framework's own packages need besides goes
 * through `starstreamer/internal`.
 *
 * @packageDocumentation
 */

export type { Kysely } from "kysely";
export { defineConfig, type ProjectConfigInput } from "./config/project-config.ts";
export { StarStreamerError } from "./errors.ts";
export type { ChatUser, StarEvent, TwitchUser, UserLevel } from "./events/event.ts";
export type * from "./events/event-map.ts";
export {
  BaseModule,
  type ConfigOf,
  type ConfigSchema,
  type LifecycleContext,
  type ModuleMigration,
  type TablesOf,
} from "./module/base-module.ts";
export type {
  CommandInfo,
  CommandMatch,
  CommandsApi,
  Handler,
  HandlerContext,
  Jobs,
  Logger,
  ModuleBus,
  ModuleContext,
  ModuleDatabase,
  RegexMatch,
  RemoteService,
  ServiceImplementation,
  ServiceName,
  Services,
  TriggerMatchInfo,
} from "./module/context.ts";
export { createOn } from "./module/create-on.ts";
export {
  type DatabaseDefinition,
  type DefinedModuleClass,
  defineDatabase,
  defineModule,
  type ModuleDefinition,
} from "./module/define-module.ts";
export type { MatchOf } from "./module/match-of.ts";
export { type EventPattern, type OnFunction, type OnOptions, on } from "./module/scope.ts";
export * from "./plugins/index.ts";
export {
  type ArgSpec,
  type ArgType,
  type CommandParams,
  type CommandTrigger,
  type CooldownTrigger,
  command,
  cooldown,
  type KeywordTrigger,
  keyword,
  type ParamsOf,
  type PredicateTrigger,
  type RegexTrigger,
  regex,
  type Trigger,
  type TriggerDescriptor,
  type TriggerPredicate,
  type UserLevelTrigger,
  userLevel,
} from "./triggers/descriptors.ts";
export { formatDuration } from "./triggers/duration.ts";
