import {
  type HandlerRegistration,
  type Logger,
  MODULE_SCOPE,
  type ModuleScope,
  SdkErrorCodes,
  StarStreamerError,
  type TriggerDescriptor,
} from "starstreamer/internal";
import type { HandlerInfo } from "./protocol.ts";

/** A function trigger, kept in the worker; the host sees it as a `predicate` descriptor. */
export type Predicate = (event: never, ctx: never) => unknown;

/** A handler as the worker keeps it: what the host knows of it, and what only the worker can run. */
export interface RegisteredHandler {
  info: HandlerInfo;
  run: HandlerRegistration["handler"];
  predicates: Predicate[];
  logger: Logger;
}

/**
 * Collects what a module registers with `on()` while it loads. `open()` installs the scope under
 * the SDK's global key (the module's bundled copy of the SDK finds it there); `close()` removes
 * it, so a later `on()` fails with SS_MODULE_NO_SCOPE.
 */
export class RegistrationScope {
  readonly #handlers: RegisteredHandler[] = [];
  readonly #loggerFor: (handler: string) => Logger;

  constructor(loggerFor: (handler: string) => Logger) {
    this.#loggerFor = loggerFor;
  }

  /** The handler table, in registration order; a handler's `info.id` is its index. */
  get handlers(): readonly RegisteredHandler[] {
    return this.#handlers;
  }

  open(): void {
    const scope: ModuleScope = { register: (registration) => this.#register(registration) };
    (globalThis as { [MODULE_SCOPE]?: ModuleScope })[MODULE_SCOPE] = scope;
  }

  close(): void {
    delete (globalThis as { [MODULE_SCOPE]?: ModuleScope })[MODULE_SCOPE];
  }

  #register(registration: HandlerRegistration): void {
    const predicates: Predicate[] = [];
    const triggers: TriggerDescriptor[] = registration.triggers.map((trigger) => {
      if (typeof trigger === "function") {
        predicates.push(trigger as Predicate);
        return { kind: "predicate", index: predicates.length - 1 };
      }
      if (trigger === null || typeof trigger !== "object" || typeof trigger.kind !== "string") {
        throw new StarStreamerError(
          SdkErrorCodes.TRIGGER_INVALID,
          `on("${registration.type}"): a trigger must come from command(), regex(), keyword(), userLevel(), cooldown() or be a function`,
        );
      }
      return trigger;
    });
    const handlers = this.#handlers;
    const base = registration.options.name ?? registration.handler.name;
    let name = base && base !== "anonymous" ? base : `${registration.type}#${handlers.length + 1}`;
    for (let n = 2; handlers.some((h) => h.info.name === name); n++) name = `${base}#${n}`;
    handlers.push({
      info: {
        id: handlers.length,
        name,
        type: registration.type,
        triggers,
        deadlineMs: registration.options.deadlineMs ?? null,
      },
      run: registration.handler,
      predicates,
      logger: this.#loggerFor(name),
    });
  }
}
