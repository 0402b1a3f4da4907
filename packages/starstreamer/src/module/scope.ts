import { SdkErrorCodes, StarStreamerError } from "../errors.ts";
import type { StarEvent } from "../events/event.ts";
import type { EventType, TypedEvent } from "../events/event-map.ts";
import type { Trigger } from "../triggers/descriptors.ts";
import type { Handler, HandlerContext } from "./context.ts";

/**
 * Where `on()` puts what it registers. The worker that runs a module opens a scope before it
 * imports the module and closes it after `registerActions`; the key is global so that the
 * worker runtime and the module's own copy of this SDK (bundled with it) find the same scope.
 */
export const MODULE_SCOPE = Symbol.for("starstreamer.module-scope");

/** Options of one handler registration. */
export interface OnOptions {
  /** A stable name for logs, stats and cooldown state; defaults to the function's name. */
  name?: string;
  /** Report the handler when one run takes longer than this (ms); defaults to the host's deadline. */
  deadlineMs?: number;
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

type HandlerFor<T extends string, C> = (event: TypedEvent<T>, ctx: HandlerContext<C>) => void | Promise<void>;
type TriggersFor<E extends StarEvent, C> =
  | Trigger<E, HandlerContext<C>>
  | Array<Trigger<E, HandlerContext<C>>>;
/** A family of event types (`twitch.*`) or every event (`*`). */
export type EventPattern = `${string}.*` | "*";

/**
 * `on` with the handler context's `config` typed as `C`: what `defineModule(...).on` and a
 * `BaseModule<C>`'s `this.on` are.
 */
export interface OnFunction<C> {
  <P extends EventPattern>(
    type: P,
    handler: (event: StarEvent, ctx: HandlerContext<C>) => void | Promise<void>,
    options?: OnOptions,
  ): void;
  <P extends EventPattern>(
    type: P,
    triggers: TriggersFor<StarEvent, C>,
    handler: (event: StarEvent, ctx: HandlerContext<C>) => void | Promise<void>,
    options?: OnOptions,
  ): void;
  <T extends EventType>(type: T, handler: HandlerFor<T, C>, options?: OnOptions): void;
  <T extends EventType>(
    type: T,
    triggers: TriggersFor<TypedEvent<T>, C>,
    handler: HandlerFor<T, C>,
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
export function on<P extends EventPattern, C = Record<string, unknown>>(
  type: P,
  handler: (event: StarEvent, ctx: HandlerContext<C>) => void | Promise<void>,
  options?: OnOptions,
): void;
export function on<P extends EventPattern, C = Record<string, unknown>>(
  type: P,
  triggers: TriggersFor<StarEvent, C>,
  handler: (event: StarEvent, ctx: HandlerContext<C>) => void | Promise<void>,
  options?: OnOptions,
): void;
export function on<T extends EventType, C = Record<string, unknown>>(
  type: T,
  handler: HandlerFor<T, C>,
  options?: OnOptions,
): void;
export function on<T extends EventType, C = Record<string, unknown>>(
  type: T,
  triggers: TriggersFor<TypedEvent<T>, C>,
  handler: HandlerFor<T, C>,
  options?: OnOptions,
): void;
export function on(type: string, second: unknown, third?: unknown, fourth?: unknown): void {
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
}
