import type { Kysely } from "kysely";
import type { StarEvent, UserLevel } from "../events/event.ts";
import type { Plugins } from "../plugins/index.ts";
import type { CommandParams } from "../triggers/descriptors.ts";

/**
 * Services that modules provide to each other, by name. A providing module declares it with
 * `declare module "starstreamer" { interface Services { economy: EconomyService } }` so every
 * caller gets `ctx.services.economy` typed. Calls go through the host, so a provider's reload is
 * invisible to its callers; every method is therefore asynchronous.
 */
// biome-ignore lint/suspicious/noEmptyInterface: extended by declaration merging
export interface Services {}

/** The name of a declared service (a key of {@link Services}). */
export type ServiceName = keyof Services & string;

/**
 * A service as its provider implements it: the declared interface, each method free to answer
 * directly or with a promise (callers always get a promise, see {@link RemoteService}).
 */
export type ServiceImplementation<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R
    ? (...args: A) => Awaited<R> | Promise<Awaited<R>>
    : T[K];
};

/** A service as callers see it: each method returns a promise. */
export type RemoteService<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;
};

/** The logger a module gets, tagged with the module and (in a handler) the handler name. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** The bus as a module sees it: it emits its own `custom.<module>.<name>` events. */
export interface ModuleBus {
  /**
   * Emits an event to every module that handles it (including this one).
   * @example await ctx.bus.emit("custom.quiz.started", { question: "2+2?" });
   */
  emit(type: `custom.${string}`, data: Record<string, unknown>): Promise<void>;
}

/** Shared CPU pool for stateless heavy work, run off every module's event loop. */
export interface Jobs {
  /**
   * Runs the default export of `jobs/<name>.ts` in this module's folder on the shared pool.
   * @example const words = await ctx.jobs.run("count-words", { text });
   */
  run<TResult = unknown>(name: string, input: unknown, options?: { timeoutMs?: number }): Promise<TResult>;
}

/**
 * The module's own SQLite database: `Kysely<TTables>` when the module declares its tables
 * (`defineDatabase<Tables>(...)`, or `BaseModule<Config, Tables>`), `unknown` when it does not.
 */
export type ModuleDatabase<TTables = never> = [TTables] extends [never] ? unknown : Kysely<TTables>;

/** What a module's lifecycle methods (initialize, shutdown) can use. */
/** A chat command some enabled module answers (`ctx.commands.list()`, for a `!commands` reply). */
export interface CommandInfo {
  /** The module that answers it. */
  module: string;
  /** With its prefix: `!give`. */
  command: string;
  /** Other names, with their prefix. */
  aliases: string[];
  /** The lowest user level allowed, when the handler has a userLevel trigger. */
  userLevel: string | null;
  /** What the handler's `description` option says, if anything. */
  description: string | null;
}

/** What a module can ask about the bot's commands. */
export interface CommandsApi {
  /** The chat commands of every enabled module (this one included), sorted by command. */
  list(): Promise<CommandInfo[]>;
}

export interface ModuleContext<TConfig = Record<string, unknown>, TTables = never> {
  readonly module: { readonly name: string; readonly version: string };
  readonly twitch: Plugins["twitch"];
  readonly obs: Plugins["obs"];
  readonly plugins: Plugins;
  readonly bus: ModuleBus;
  readonly logger: Logger;
  readonly config: TConfig;
  /** The module's own database; present when the module declares `migrations` or `database: true`. */
  readonly db: ModuleDatabase<TTables>;
  readonly jobs: Jobs;
  readonly services: { [K in keyof Services]: RemoteService<Services[K]> };
  /** The chat commands of every enabled module. */
  readonly commands: CommandsApi;
}

/** What a command trigger matched; `P` is typed from its argument specs. */
export interface CommandMatch<P = CommandParams> {
  /** The main name, without prefix. */
  name: string;
  /** The name or alias the author typed, lower-cased, without prefix. */
  used: string;
  /** Every word after the command, as written (extra words included). */
  args: string[];
  /** Arguments by name, parsed per their type; missing optional ones are `undefined`. */
  params: P;
  /** The text after the command, trimmed. */
  rest: string;
}

/** What a regex trigger matched: the match and its groups (named groups in `groups`). */
export interface RegexMatch {
  match: string[];
  index: number;
  groups: Record<string, string>;
}

/**
 * What the triggers of a handler matched, evaluated on the host; a handler reads it as `ctx.match`.
 * A handler registered with `on` sees the fields its triggers always fill as present (see `MatchOf`).
 */
export interface TriggerMatchInfo {
  command?: CommandMatch;
  regex?: RegexMatch;
  keyword?: { word: string };
  /** The author's level (present when the handler has a `userLevel` trigger). */
  userLevel?: UserLevel;
  /** Present when the handler runs during its cooldown (`notify: true`). */
  cooldown?: { active: boolean; scope: "global" | "user"; remainingMs: number };
}

/** The second argument of every handler: everything it may touch, by name. */
export interface HandlerContext<TConfig = Record<string, unknown>, TTables = never, TMatch = TriggerMatchInfo>
  extends ModuleContext<TConfig, TTables> {
  /** The handler's id (for logs, stats, cooldowns and queued events). */
  readonly handler: string;
  /** What the triggers matched: command arguments, regex groups, cooldown state. */
  readonly match: TMatch;
}

/** A handler: a plain async function of the event and the context. */
export type Handler<E extends StarEvent = StarEvent, TConfig = Record<string, unknown>> = (
  event: E,
  ctx: HandlerContext<TConfig>,
) => void | Promise<void>;
