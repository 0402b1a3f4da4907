import {
  BaseModule,
  type ConfigSchema,
  type LifecycleContext,
  MODULE_MARK,
  type ModuleMigration,
} from "./base-module.ts";
import type { ServiceName } from "./context.ts";
import { type OnFunction, on } from "./scope.ts";

/**
 * What `defineModule` returns: the module class, plus `on` with `ctx.config` typed as the module's
 * config and `ctx.db` over its tables (for handlers registered in `registerActions`; an actions
 * file uses `createOn<typeof module>()`).
 */
export type DefinedModuleClass<TConfig, TTables = never> = (abstract new () => BaseModule<
  TConfig,
  TTables
>) & {
  readonly [MODULE_MARK]: true;
  readonly on: OnFunction<TConfig, TTables>;
};

declare const TABLES: unique symbol;

/** A module's database: its migrations, and its tables' types for `ctx.db` (see {@link defineDatabase}). */
export interface DatabaseDefinition<TTables> {
  readonly migrations: Readonly<Record<string, ModuleMigration>>;
  readonly [TABLES]?: TTables;
}

/**
 * Declares a module's own database: its tables (as a type, which `ctx.db` is typed from) and the
 * migrations that create them. Pass it as `database` to `defineModule`.
 * @example
 * interface Tables { points: { login: string; amount: number } }
 * const database = defineDatabase<Tables>({
 *   "001_create_points": { async up(db) { await db.schema.createTable("points")...execute(); } },
 * });
 */
export function defineDatabase<TTables>(
  migrations: Readonly<Record<string, ModuleMigration>> = {},
): DatabaseDefinition<TTables> {
  return { migrations };
}

/** The object form of a module; `defineModule` turns it into a `BaseModule` subclass. */
export interface ModuleDefinition<TConfig = Record<string, unknown>, TTables = never> {
  name: string;
  description?: string;
  version?: string;
  author?: string;
  dependencies?: string[];
  /** Services from other modules this one calls (`ctx.services.<name>`); declared in `Services`. */
  requires?: ServiceName[];
  /** Services this module offers with `ctx.provide` in `initialize`; declared in `Services`. */
  provides?: ServiceName[];
  /** A zod schema for this module's section of the project config. */
  config?: ConfigSchema<TConfig>;
  /** Migrations of an untyped database; prefer `database: defineDatabase<Tables>(migrations)`. */
  migrations?: Record<string, ModuleMigration>;
  /** The module's own database: `defineDatabase<Tables>(migrations)`, or `true` for an empty one. */
  database?: boolean | DatabaseDefinition<TTables>;
  initialize?(ctx: LifecycleContext<TConfig, TTables>): void | Promise<void>;
  shutdown?(ctx: LifecycleContext<TConfig, TTables>): void | Promise<void>;
  /** Registers handlers; usually `() => import("./actions/commands.ts")`. */
  registerActions?(ctx: LifecycleContext<TConfig, TTables>): unknown;
  snapshot?(ctx: LifecycleContext<TConfig, TTables>): unknown;
  restore?(state: unknown, ctx: LifecycleContext<TConfig, TTables>): void | Promise<void>;
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
export function defineModule<TConfig = Record<string, unknown>, TTables = never>(
  definition: ModuleDefinition<TConfig, TTables>,
): DefinedModuleClass<TConfig, TTables> {
  const database = definition.database;
  class DefinedModule extends BaseModule<TConfig, TTables> {
    readonly name = definition.name;
    override readonly description = definition.description ?? "";
    override readonly version = definition.version ?? "0.0.0";
    override readonly author = definition.author ?? "";
    override readonly dependencies = definition.dependencies ?? [];
    override readonly requires = definition.requires ?? [];
    override readonly provides = definition.provides ?? [];
    override readonly configSchema = definition.config;
    override readonly migrations = typeof database === "object" ? database.migrations : definition.migrations;
    override readonly database = database !== undefined && database !== false;

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
    on: on as unknown as OnFunction<TConfig, TTables>,
  }) as unknown as DefinedModuleClass<TConfig, TTables>;
}
