import { createEvent, type EventData, type StarEvent, type TypedEvent } from "starstreamer/internal";
import type { HostLogger } from "../logger.ts";

type Listener = (event: StarEvent) => void;

/**
 * The host's event bus. Plugins, the local chat and modules emit here; `emit` validates the
 * payload against its type's schema, then hands the event to main-thread listeners (admin page,
 * logs) and to the module router.
 */
export class EventBus {
  readonly #listeners = new Map<string, Set<Listener>>();
  readonly #logger: HostLogger;
  #router: ((event: StarEvent) => void) | null = null;
  /** Events published since start. */
  published = 0;

  constructor(logger: HostLogger) {
    this.#logger = logger;
  }

  /** Sets where events go after the listeners (the module registry). */
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
    const event = createEvent(type as never, data as never, source) as StarEvent;
    this.publish(event);
    return event;
  }

  /** Publishes an event that is already built and validated. */
  publish(event: StarEvent): void {
    this.published++;
    if (this.#listeners.size > 0) {
      this.#notify(event, this.#listeners.get(event.type));
      const dot = event.type.indexOf(".");
      if (dot > 0) this.#notify(event, this.#listeners.get(`${event.type.slice(0, dot)}.*`));
      this.#notify(event, this.#listeners.get("*"));
    }
    this.#router?.(event);
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
