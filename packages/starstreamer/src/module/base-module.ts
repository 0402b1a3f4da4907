import type { Kysely } from "kysely";
import { SdkErrorCodes, StarStreamerError } from "../errors.ts";
import type { Logger, ModuleContext, ServiceImplementation, ServiceName, Services } from "./context.ts";
import { type OnFunction, on } from "./scope.ts";

/** Marks module classes across bundle copies of the SDK. */
export const MODULE_MARK = Symbol.for("starstreamer.module");
/** The worker hands a loaded module its context through this key. */
export const ATTACH_CONTEXT = Symbol.for("starstreamer.attach-context");

/** A schema the host can validate config with: zod's `safeParse` shape, without importing zod. */
export interface ConfigSchema<T> {
  safeParse(
    value: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: ReadonlyArray<{ path: readonly PropertyKey[]; message: string }> } };
}

/**
 * One migration of a module's database (Kysely's `Migration` shape). Migrations see the schema as
 * it is at that point in history, not the module's current tables, hence `Kysely<any>`.
 */
export interface ModuleMigration {
  // biome-ignore lint/suspicious/noExplicitAny: a migration runs against the schema of its time
  up(db: Kysely<any>): Promise<void>;
  // biome-ignore lint/suspicious/noExplicitAny: as above
  down?(db: Kysely<any>): Promise<void>;
}

/** Carries a module's config and table types at compile time; never present at run time. */
export declare const MODULE_TYPES: unique symbol;

/** The context of a module during its lifecycle, plus `provide` for its services. */
export interface LifecycleContext<TConfig = Record<string, unknown>, TTables = never>
  extends ModuleContext<TConfig, TTables> {
  /**
   * Offers a service to other modules under a name the module lists in `provides`; the name must be
   * declared in `Services` (`declare module "starstreamer" { interface Services { ... } }`) and the
   * implementation is checked against that interface.
   * @example ctx.provide("economy", { getBalance: async (userId) => ... });
   */
  provide<K extends ServiceName>(name: K, implementation: ServiceImplementation<Services[K]>): void;
}

/**
 * The class form of a module, as the seed documents it: metadata as fields, lifecycle as
 * methods. A module's `module.ts` default-exports a subclass. `TConfig` types `this.config`
 * (give `configSchema`), `TTables` types `this.ctx.db` as `Kysely<TTables>` (give `migrations`).
 * @example
 * export default class GreeterModule extends BaseModule {
 *   readonly name = "greeter";
 *   override async registerActions() { await import("./actions/greetings.ts"); }
 * }
 */
export abstract class BaseModule<TConfig = Record<string, unknown>, TTables = never> {
  static readonly [MODULE_MARK] = true;
  declare readonly [MODULE_TYPES]?: { config: TConfig; tables: TTables };

  /** Unique identifier: lower-case letters, digits, `-` and `_`. */
  abstract readonly name: string;
  readonly description: string = "";
  /** Semantic version, shown in the admin page and reload lines. */
  readonly version: string = "0.0.0";
  readonly author: string = "";
  /** Modules that must be loaded (and enabled) before this one. */
  readonly dependencies: readonly string[] = [];
  /** Services from other modules this one calls through `ctx.services`. */
  readonly requires: readonly string[] = [];
  /** Services this module offers (registered with `ctx.provide` in `initialize`). */
  readonly provides: readonly string[] = [];
  /** Validates this module's section of the project config; its output is `this.config`. */
  readonly configSchema?: ConfigSchema<TConfig>;
  /** Migrations of the module's own database, applied in name order at load. */
  readonly migrations?: Readonly<Record<string, ModuleMigration>>;
  /** Open the module's database even without migrations. */
  readonly database: boolean = false;

  #ctx: LifecycleContext<TConfig, TTables> | undefined;

  /** Everything the module can use: plugins, bus, logger, config, db, jobs, services. */
  get ctx(): LifecycleContext<TConfig, TTables> {
    if (!this.#ctx) {
      throw new StarStreamerError(
        SdkErrorCodes.MODULE_NO_SCOPE,
        `${this.name}: the context exists once the host has loaded the module (use it from initialize on)`,
      );
    }
    return this.#ctx;
  }

  /** The validated config values. */
  get config(): TConfig {
    return this.ctx.config;
  }

  /** The module's logger (tagged with its name). */
  get logger(): Logger {
    return this.ctx.logger;
  }

  /**
   * `on`, with `ctx.config` typed as this module's config and `ctx.db` over its tables.
   * @example this.on("twitch.chat.message", command("!award"), async (event, ctx) => ctx.config.award);
   */
  get on(): OnFunction<TConfig, TTables> {
    return on as unknown as OnFunction<TConfig, TTables>;
  }

  /** @internal The worker attaches the context before `initialize`. */
  [ATTACH_CONTEXT](ctx: LifecycleContext<TConfig, TTables>): void {
    this.#ctx = ctx;
  }

  /** Sets up resources; runs before `registerActions`. */
  async initialize(): Promise<void> {}
  /** Releases resources; runs on unload and on the old worker after a reload. */
  async shutdown(): Promise<void> {}
  /** Registers handlers, typically by importing the actions files. */
  async registerActions(): Promise<void> {}
  /** In-memory state to carry into the new worker across a reload. Must be structured-cloneable. */
  snapshot?(): unknown | Promise<unknown>;
  /** Receives what the previous worker's `snapshot` returned. */
  restore?(state: unknown): void | Promise<void>;
}

type InstanceOf<M> = M extends abstract new (...args: never[]) => infer I ? I : M;

/** The config type of a module: its class, or what `defineModule` returned (`ConfigOf<typeof award>`). */
export type ConfigOf<M> =
  InstanceOf<M> extends { readonly [MODULE_TYPES]?: { config: infer C } } ? C : Record<string, unknown>;

/** The table types of a module's database, as `ctx.db` sees them (`never` when it declares none). */
export type TablesOf<M> = InstanceOf<M> extends { readonly [MODULE_TYPES]?: { tables: infer T } } ? T : never;

const NAME = /^[a-z][a-z0-9_-]{0,63}$/;
const VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/** The facts the host needs about a module, checked; throws SS_MODULE_INVALID saying what to fix. */
export interface ModuleManifest {
  name: string;
  description: string;
  version: string;
  author: string;
  dependencies: string[];
  requires: string[];
  provides: string[];
  usesDatabase: boolean;
  canSnapshot: boolean;
}

export function readManifest(module: BaseModule<unknown>): ModuleManifest {
  const problems: string[] = [];
  const name = module.name;
  if (typeof name !== "string" || !NAME.test(name)) {
    problems.push(
      `name ${JSON.stringify(name)} must be lower-case letters, digits, "-" or "_", starting with a letter`,
    );
  }
  if (typeof module.version !== "string" || !VERSION.test(module.version)) {
    problems.push(`version ${JSON.stringify(module.version)} must be a semantic version such as "1.0.0"`);
  }
  const lists = { dependencies: module.dependencies, requires: module.requires, provides: module.provides };
  for (const [key, list] of Object.entries(lists)) {
    if (!Array.isArray(list) || !list.every((item) => typeof item === "string" && NAME.test(item))) {
      problems.push(`${key} must be an array of names like "economy"`);
    }
  }
  if (Array.isArray(module.dependencies) && module.dependencies.includes(name)) {
    problems.push("a module cannot depend on itself");
  }
  if (module.configSchema !== undefined && typeof module.configSchema?.safeParse !== "function") {
    problems.push("configSchema must be a zod schema (something with safeParse)");
  }
  if ((typeof module.snapshot === "function") !== (typeof module.restore === "function")) {
    problems.push("snapshot and restore go together: define both or neither");
  }
  if (problems.length > 0) {
    throw new StarStreamerError(
      SdkErrorCodes.MODULE_INVALID,
      `module ${typeof name === "string" ? name : "(unnamed)"} is not valid: ${problems.join("; ")}`,
      { data: { problems } },
    );
  }
  return {
    name,
    description: String(module.description ?? ""),
    version: module.version,
    author: String(module.author ?? ""),
    dependencies: [...module.dependencies],
    requires: [...module.requires],
    provides: [...module.provides],
    usesDatabase: module.database === true || module.migrations !== undefined,
    canSnapshot: typeof module.snapshot === "function",
  };
}
