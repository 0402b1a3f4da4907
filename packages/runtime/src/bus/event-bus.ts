import {
  createEvent,
  type EventData,
  type StarEvent,
  StarStreamerError,
  type TypedEvent,
} from "starstreamer/internal";
import { RuntimeErrorCodes } from "../errors.ts";
import type { HostLogger } from "../logger.ts";
import { envelopeJson, forgetEventJson, rememberEventJson } from "./event-json.ts";

/** The largest `custom.*` event payload the bus takes, as JSON characters (64 KB). */
export const MAX_CUSTOM_EVENT_CHARS = 64 * 1024;

type Listener = (event: StarEvent) => void;

/**
 * The host's event bus. Plugins, the local chat and modules emit here; `emit` validates the
 * payload against its type's schema, then hands the event to the module router and to main-thread
 * listeners (admin page, logs), in that order.
 */
export class EventBus {
  readonly #listeners = new Map<string, Set<Listener>>();
  readonly #logger: HostLogger;
  #router: ((event: StarEvent) => void) | null = null;

  constructor(logger: HostLogger) {
    this.#logger = logger;
  }

  /** Sets where events go before the listeners (the module registry). */
  setRouter(router: ((event: StarEvent) => void) | null): void {
    this.#router = router;
  }

  /**
   * Listens on the main thread to a type, a family (`twitch.*`) or everything (`*`).
   * @returns the function that stops listening
   */
  on<T extends string>(pattern: T, listener: (event: TypedEvent<T>) => void): () => void {
    let set = this.#listeners.get(pattern);
    if (!set) {
      set = new Set();
      this.#listeners.set(pattern, set);
    }
    set.add(listener as Listener);
    return () => {
      set.delete(listener as Listener);
      if (set.size === 0) this.#listeners.delete(pattern);
    };
  }

  /** Validates and publishes an event; throws SS_EVENT_INVALID / SS_EVENT_UNKNOWN_TYPE on bad input. */
  emit<T extends string>(type: T, data: EventData<T> | unknown, source: string): StarEvent {
    // Built-in types are bounded by their schemas (a chat message is at most 500 characters);
    // custom events carry whatever a module sends, so their size is checked here.
    const dataJson = type.startsWith("custom.") ? this.#checkSize(type, data, source) : null;
    const event = createEvent(type as never, data as never, source) as StarEvent;
    // A custom event's data is taken as it is (checked, not copied), so the JSON written for the
    // size check is the data's JSON in the envelope too: the router reuses it.
    if (dataJson === null || event.data !== data) {
      this.publish(event);
      return event;
    }
    rememberEventJson(event, envelopeJson(event, dataJson));
    try {
      this.publish(event);
    } finally {
      forgetEventJson(event);
    }
    return event;
  }

  /**
   * Publishes an event that is already built and validated: routes it to the modules first (their
   * queues take it, and an idle module's worker gets it at once), then tells the main-thread
   * listeners (logs, the admin page's live stream, the overlay), whose work is then off the path of
   * a module's reply. An event a listener emits is routed after the one it reacts to.
   */
  publish(event: StarEvent): void {
    try {
      this.#router?.(event);
    } finally {
      if (this.#listeners.size > 0) {
        this.#notify(event, this.#listeners.get(event.type));
        const dot = event.type.indexOf(".");
        if (dot > 0) this.#notify(event, this.#listeners.get(`${event.type.slice(0, dot)}.*`));
        this.#notify(event, this.#listeners.get("*"));
      }
    }
  }

  /** Refuses a custom payload over the limit; returns its JSON (null when it has none). */
  #checkSize(type: string, data: unknown, source: string): string | null {
    let json: string | undefined;
    try {
      json = JSON.stringify(data);
    } catch {
      return null; // not JSON: createEvent refuses it with its own message
    }
    const size = json?.length ?? 0;
    if (size <= MAX_CUSTOM_EVENT_CHARS) return json ?? null;
    const message = `${type} from ${source} is ${size} characters of JSON; the limit is ${MAX_CUSTOM_EVENT_CHARS}: refused`;
    this.#logger.error(message, { type, source });
    throw new StarStreamerError(RuntimeErrorCodes.EVENT_TOO_LARGE, message, {
      data: { type, source, size, limit: MAX_CUSTOM_EVENT_CHARS },
    });
  }

  #notify(event: StarEvent, listeners: Set<Listener> | undefined): void {
    if (!listeners) return;
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        this.#logger.error(`bus listener failed on ${event.type}: ${(error as Error).message}`);
      }
    }
  }
}
