import {
  BaseModule,
  type ConfigSchema,
  type LifecycleContext,
  type ModuleClass,
  type ModuleMigration,
} from "./base-module.ts";
import { type OnFunction, on } from "./scope.ts";

/**
 * What `defineModule` returns: the module class, plus `on` with `ctx.config` typed as the module's
 * config, for its actions files (`import hello from "../module.ts"; hello.on(...)`).
 */
export type DefinedModuleClass<TConfig> = ModuleClass & { readonly on: OnFunction<TConfig> };

/** The object form of a module; `defineModule` turns it into a `BaseModule` subclass. */
export interface ModuleDefinition<TConfig = Record<string, unknown>> {
  name: string;
  description?: string;
  version?: string;
  author?: string;
  dependencies?: string[];
  requires?: string[];
  provides?: string[];
  /** A zod schema for this module's section of the project config. */
  config?: ConfigSchema<TConfig>;
  migrations?: Record<string, ModuleMigration>;
  database?: boolean;
  initialize?(ctx: LifecycleContext<TConfig>): void | Promise<void>;
  shutdown?(ctx: LifecycleContext<TConfig>): void | Promise<void>;
  /** Registers handlers; usually `() => import("./actions/commands.ts")`. */
  registerActions?(ctx: LifecycleContext<TConfig>): unknown;
  snapshot?(ctx: LifecycleContext<TConfig>): unknown;
  restore?(state: unknown, ctx: LifecycleContext<TConfig>): void | Promise<void>;
}

/**
 * Declares a module as data and plain functions; returns a `BaseModule` subclass, so both forms
 * load the same way.
 * @example
 * export default defineModule({
 *   name: "hello",
 *   version: "1.0.0",
 *   registerActions: () => import("./actions/hello.ts"),
 * });
 */
export function defineModule<TConfig = Record<string, unknown>>(
  definition: ModuleDefinition<TConfig>,
): DefinedModuleClass<TConfig> {
  class DefinedModule extends BaseModule<TConfig> {
    readonly name = definition.name;
    override readonly description = definition.description ?? "";
    override readonly version = definition.version ?? "0.0.0";
    override readonly author = definition.author ?? "";
    override readonly dependencies = definition.dependencies ?? [];
    override readonly requires = definition.requires ?? [];
    override readonly provides = definition.provides ?? [];
    override readonly configSchema = definition.config;
    override readonly migrations = definition.migrations;
    override readonly database = definition.database ?? false;

    override async initialize(): Promise<void> {
      await definition.initialize?.(this.ctx);
    }
    override async shutdown(): Promise<void> {
      await definition.shutdown?.(this.ctx);
    }
    override async registerActions(): Promise<void> {
      await definition.registerActions?.(this.ctx);
    }
  }
  // Copied only when given, so that readManifest can tell a module that defines one without the other.
  const { snapshot, restore } = definition;
  if (snapshot) {
    Object.assign(DefinedModule.prototype, {
      snapshot(this: DefinedModule) {
        return snapshot(this.ctx);
      },
    });
  }
  if (restore) {
    Object.assign(DefinedModule.prototype, {
      restore(this: DefinedModule, state: unknown) {
        return restore(state, this.ctx);
      },
    });
  }
  Object.defineProperty(DefinedModule, "name", { value: `${definition.name}Module` });
  return Object.assign(DefinedModule, {
    on: on as OnFunction<TConfig>,
  }) as unknown as DefinedModuleClass<TConfig>;
}
