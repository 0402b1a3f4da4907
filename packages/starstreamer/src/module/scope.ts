import { SdkErrorCodes, StarStreamerError } from "../errors.ts";
import type { StarEvent } from "../events/event.ts";
import type { EventType, TypedEvent } from "../events/event-map.ts";
import type { Trigger } from "../triggers/descriptors.ts";
import type { Handler, HandlerContext } from "./context.ts";
import type { MatchOf } from "./match-of.ts";

/**
 * Where `on()` puts what it registers. The worker that runs a module opens a scope before it
 * imports the module and closes it after `registerActions`; the key is global so that the
 * worker runtime and the module's own copy of this SDK (bundled with it) find the same scope.
 */
export const MODULE_SCOPE = Symbol.for("starstreamer.module-scope");

/** Options of one handler registration. */
export interface OnOptions {
  /**
   * The handler's stable id: cooldowns and queued events are kept under it across reloads, and logs
   * and stats name the handler by it. Defaults to the function's name; an anonymous handler gets one
   * from its position (and a warning), which changes when handlers are reordered.
   */
  id?: string;
  /** @deprecated The former name of `id`; `id` wins when both are given. */
  name?: string;
  /** Report the handler when one run takes longer than this (ms); defaults to the host's deadline. */
  deadlineMs?: number;
  /** One line on what it does; `!commands` lists and the admin page show it. */
  description?: string;
  /**
   * Runs of a handler overlap by default: while one awaits, the next event's run starts. `serial`
   * makes them wait their turn, in delivery order:
   * - `true`: one run of this handler at a time;
   * - `"user"`: one at a time per user (`event.data.user.id`), different users still in parallel;
   * - `"module"`: one at a time across every handler of the module that says `"module"`.
   * @example on("twitch.chat.message", command("!buy"), buy, { serial: "user" });
   */
  serial?: boolean | "user" | "module";
}

/** One registration as the scope receives it. */
export interface HandlerRegistration {
  type: string;
  triggers: Trigger[];
  handler: Handler<StarEvent, unknown>;
  options: OnOptions;
}

/** The scope a worker opens while a module registers its handlers. */
export interface ModuleScope {
  register(registration: HandlerRegistration): void;
}

function currentScope(): ModuleScope {
  const scope = (globalThis as { [MODULE_SCOPE]?: ModuleScope })[MODULE_SCOPE];
  if (!scope) {
    throw new StarStreamerError(
      SdkErrorCodes.MODULE_NO_SCOPE,
      "on() was called outside a module: handlers are registered while the host loads a module " +
        "(at the top of an actions file imported from registerActions, or inside registerActions)",
    );
  }
  return scope;
}

type Run<E, C, TT, M> = (event: E, ctx: HandlerContext<C, TT, M>) => void | Promise<void>;
type TriggersFor<E extends StarEvent, C, TT> =
  | Trigger<E, HandlerContext<C, TT>>
  | readonly Trigger<E, HandlerContext<C, TT>>[];
/** A family of event types (`twitch.*`) or every event (`*`). */
export type EventPattern = `${string}.*` | "*";

/**
 * The shape of `on`: `event.data` typed from the event type, `ctx.match` from the triggers,
 * `ctx.config` as `C` and `ctx.db` over the tables `TT`. The plain `on` has the loosest `C`;
 * `defineModule(...).on`, a `BaseModule`'s `this.on` and `createOn<typeof module>()` type them.
 */
export interface OnFunction<C = Record<string, unknown>, TT = never> {
  <P extends EventPattern>(type: P, handler: Run<StarEvent, C, TT, MatchOf<[]>>, options?: OnOptions): void;
  <P extends EventPattern, const TR extends TriggersFor<StarEvent, C, TT>>(
    type: P,
    triggers: TR,
    handler: Run<StarEvent, C, TT, MatchOf<TR>>,
    options?: OnOptions,
  ): void;
  <T extends EventType>(type: T, handler: Run<TypedEvent<T>, C, TT, MatchOf<[]>>, options?: OnOptions): void;
  <T extends EventType, const TR extends TriggersFor<TypedEvent<T>, C, TT>>(
    type: T,
    triggers: TR,
    handler: Run<TypedEvent<T>, C, TT, MatchOf<TR>>,
    options?: OnOptions,
  ): void;
}

/**
 * The plain `on`: {@link OnFunction} whose config type is read from an annotated context
 * (`ctx: HandlerContext<MyConfig>`), `Record<string, unknown>` otherwise.
 */
export interface PlainOnFunction {
  <P extends EventPattern, C = Record<string, unknown>>(
    type: P,
    handler: Run<StarEvent, C, never, MatchOf<[]>>,
    options?: OnOptions,
  ): void;
  <
    P extends EventPattern,
    const TR extends TriggersFor<StarEvent, Record<string, unknown>, never>,
    C = Record<string, unknown>,
  >(
    type: P,
    triggers: TR,
    handler: Run<StarEvent, C, never, MatchOf<TR>>,
    options?: OnOptions,
  ): void;
  <T extends EventType, C = Record<string, unknown>>(
    type: T,
    handler: Run<TypedEvent<T>, C, never, MatchOf<[]>>,
    options?: OnOptions,
  ): void;
  <
    T extends EventType,
    const TR extends TriggersFor<TypedEvent<T>, Record<string, unknown>, never>,
    C = Record<string, unknown>,
  >(
    type: T,
    triggers: TR,
    handler: Run<TypedEvent<T>, C, never, MatchOf<TR>>,
    options?: OnOptions,
  ): void;
}

/**
 * Registers a handler for an event type, optionally behind triggers that must all pass.
 * `type` may end in `.*` to take a whole family (`twitch.*`, `custom.quiz.*`).
 * @example
 * on("twitch.chat.message", [command("!greet"), cooldown({ user: "10s" })], async (event, { twitch }) => {
 *   await twitch.sendMessage(`Hello ${event.data.user.displayName}! 👋`);
 * });
 */
export const on: PlainOnFunction = function on(
  type: string,
  second: unknown,
  third?: unknown,
  fourth?: unknown,
): void {
  const hasTriggers = typeof third === "function";
  const handler = (hasTriggers ? third : second) as Handler<StarEvent, unknown>;
  const triggers = hasTriggers ? (Array.isArray(second) ? second : [second]) : [];
  const options = ((hasTriggers ? fourth : third) ?? {}) as OnOptions;
  if (typeof handler !== "function") {
    throw new StarStreamerError(
      SdkErrorCodes.MODULE_INVALID,
      `on("${type}"): the handler must be a function`,
    );
  }
  if (typeof type !== "string" || !/^[a-z0-9_-]+(\.[a-z0-9_-]+)*(\.\*)?$|^\*$/.test(type)) {
    throw new StarStreamerError(
      SdkErrorCodes.MODULE_INVALID,
      `on(${JSON.stringify(type)}): an event type is dotted lower-case words, optionally ending in ".*"`,
    );
  }
  currentScope().register({ type, triggers: triggers as Trigger[], handler, options });
};
