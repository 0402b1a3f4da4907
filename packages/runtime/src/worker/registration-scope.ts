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
  /** How runs wait for each other (`on(..., { serial })`); null: they overlap. */
  serial?: SerialMode | null;
}

/** `serial` as the handler runner uses it: one lane per handler, per user of a handler, or per module. */
export type SerialMode = "handler" | "user" | "module";

function serialMode(value: unknown, type: string, name: string): SerialMode | null {
  if (value === undefined || value === false) return null;
  if (value === true) return "handler";
  if (value === "user" || value === "module") return value;
  throw new StarStreamerError(
    SdkErrorCodes.MODULE_INVALID,
    `on("${type}") handler ${name}: serial must be true, "user" or "module", got ${JSON.stringify(value)}`,
  );
}

/**
 * Collects what a module registers with `on()` while it loads. `open()` installs the scope under
 * the SDK's global key (the module's bundled copy of the SDK finds it there); `close()` removes
 * it, so a later `on()` fails with SS_MODULE_NO_SCOPE.
 */
export class RegistrationScope {
  readonly #handlers: RegisteredHandler[] = [];
  readonly #moduleName: string;
  readonly #loggerFor: (handler: string | null) => Logger;

  /** `loggerFor(handler)` tags a logger with the handler's id; `loggerFor(null)` is the module's. */
  constructor(moduleName: string, loggerFor: (handler: string | null) => Logger) {
    this.#moduleName = moduleName;
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

  /**
   * The handler's stable id: `{ id }`, else the function's name. An anonymous handler gets its
   * position, with a warning, since the host keys cooldowns and queued events by the id.
   * @throws StarStreamerError `SS_HANDLER_ID_DUPLICATE` when another handler has the id.
   */
  #idOf(registration: HandlerRegistration, index: number): string {
    const { options, handler, type } = registration;
    const given = options.id ?? options.name;
    const fnName = handler.name === "anonymous" ? "" : handler.name;
    const id = given !== undefined && given !== "" ? given : fnName;
    if (id === "") {
      const positional = `${type}#${index + 1}`;
      this.#loggerFor(null).warn(
        `handler #${index + 1} (on "${type}") has no id, so it is known as "${positional}": its cooldowns and ` +
          "queued events are keyed by its position and will be lost or reach another handler when handlers are " +
          'added or reordered; name the function (async function greet(event, ctx) {...}) or pass { id: "greet" }',
        { handler: positional },
      );
      return positional;
    }
    const other = this.#handlers.find((h) => h.info.name === id);
    if (other) {
      throw new StarStreamerError(
        SdkErrorCodes.HANDLER_ID_DUPLICATE,
        `${this.#moduleName}: two handlers have the id "${id}" (on "${other.info.type}" and on "${type}"); ` +
          "cooldowns and queued events are kept by handler id, so each needs its own: rename one function or pass a distinct { id }",
        { data: { module: this.#moduleName, id, types: [other.info.type, type] } },
      );
    }
    return id;
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
    const name = this.#idOf(registration, handlers.length);
    handlers.push({
      info: {
        id: handlers.length,
        name,
        type: registration.type,
        triggers,
        deadlineMs: registration.options.deadlineMs ?? null,
        description:
          typeof registration.options.description === "string" ? registration.options.description : null,
      },
      run: registration.handler,
      predicates,
      logger: this.#loggerFor(name),
      serial: serialMode(registration.options.serial, registration.type, name),
    });
  }
}
