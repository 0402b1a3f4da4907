import type { Host, LogRecord } from "@starstreamer/runtime";
import type { StarEvent } from "starstreamer";
import type { ModuleViews } from "../api/module-view.ts";
import { statsView } from "../api/stats-view.ts";
import type { AdminChat, AdminChatOutput } from "../chat.ts";

/** What the live stream carries; each is one server-sent event named by `event`. */
export type LiveMessage =
  | { event: "module"; data: unknown }
  | { event: "stats"; data: unknown }
  | { event: "chat"; data: { kind: string; text: string; user?: string; replyTo?: string | null } }
  | { event: "event"; data: { id: string; type: string; source: string; timestamp: number; data: unknown } }
  | { event: "log"; data: { level: string; module: string | null; message: string; at: number } }
  | { event: "dropped"; data: { count: number } };

/** One listener's view of the feed: messages in order, bounded. */
export interface LiveSubscription {
  /** The next message, or null once closed. */
  next(): Promise<LiveMessage | null>;
  close(): void;
}

/** How many messages a slow client may fall behind before the oldest are dropped (and counted). */
const QUEUE_LIMIT = 1000;
/** How often figures that change without an event (events handled, p50/p99, memory) are looked at. */
const FIGURES_EVERY_MS = 2000;

class Subscriber implements LiveSubscription {
  readonly #queue: LiveMessage[] = [];
  readonly #onClose: () => void;
  #waiting: ((message: LiveMessage | null) => void) | null = null;
  #dropped = 0;
  closed = false;

  constructor(onClose: () => void) {
    this.#onClose = onClose;
  }

  push(message: LiveMessage): void {
    if (this.closed) return;
    if (this.#waiting) {
      const wake = this.#waiting;
      this.#waiting = null;
      wake(message);
      return;
    }
    if (this.#queue.length >= QUEUE_LIMIT) {
      this.#queue.shift();
      this.#dropped++;
    }
    this.#queue.push(message);
  }

  next(): Promise<LiveMessage | null> {
    if (this.#dropped > 0) {
      const count = this.#dropped;
      this.#dropped = 0;
      return Promise.resolve({ event: "dropped", data: { count } });
    }
    const message = this.#queue.shift();
    if (message) return Promise.resolve(message);
    if (this.closed) return Promise.resolve(null);
    return new Promise((resolve) => {
      this.#waiting = resolve;
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.#waiting?.(null);
    this.#waiting = null;
    this.#onClose();
  }
}

/**
 * Everything the page shows live, from the host's bus, its log and the local chat, fanned out to
 * each open stream. Module changes are coalesced per module and sent as the module's full view
 * (plus fresh stats), so a client never has to ask again. It listens to its sources only while
 * someone is subscribed.
 */
export class LiveFeed {
  readonly #host: Host;
  readonly #views: ModuleViews;
  readonly #chat: AdminChat | undefined;
  readonly #subscribers = new Set<Subscriber>();
  readonly #dirty = new Set<string>();
  /** What was last sent per module (and for the stats), so unchanged views are not sent again. */
  readonly #sent = new Map<string, string>();
  #flushing = false;
  #detach: Array<() => void> = [];

  constructor(host: Host, views: ModuleViews, chat?: AdminChat) {
    this.#host = host;
    this.#views = views;
    this.#chat = chat;
  }

  /** Opens a subscription; close it when the client goes. */
  subscribe(): LiveSubscription {
    const subscriber = new Subscriber(() => {
      this.#subscribers.delete(subscriber);
      if (this.#subscribers.size === 0) this.#stopListening();
    });
    if (this.#subscribers.size === 0) this.#listen();
    this.#subscribers.add(subscriber);
    return subscriber;
  }

  /** Ends every subscription (server shutdown). */
  closeAll(): void {
    for (const subscriber of [...this.#subscribers]) subscriber.close();
  }

  #broadcast(message: LiveMessage): void {
    for (const subscriber of this.#subscribers) subscriber.push(message);
  }

  #listen(): void {
    this.#detach.push(
      this.#host.bus.on("*", (event) => this.#onEvent(event)),
      this.#host.logger.onRecord((record) => this.#onRecord(record)),
    );
    if (this.#chat) this.#detach.push(this.#chat.onOutput((output) => this.#onChat(output)));
    const figures = setInterval(() => {
      for (const name of this.#host.registry.names()) this.moduleChanged(name);
    }, FIGURES_EVERY_MS);
    figures.unref();
    this.#detach.push(() => clearInterval(figures));
  }

  #stopListening(): void {
    for (const detach of this.#detach.splice(0)) detach();
    this.#sent.clear();
  }

  /** Broadcasts a module or stats view unless it is what was sent last under `key`. */
  #sendIfChanged(key: string, message: LiveMessage): void {
    const text = JSON.stringify(message.data);
    if (this.#sent.get(key) === text) return;
    this.#sent.set(key, text);
    this.#broadcast(message);
  }

  #onEvent(event: StarEvent): void {
    const data = event.data as Record<string, unknown>;
    switch (event.type) {
      case "system.module.state":
      case "system.handler.error":
        this.moduleChanged(String(data.module));
        return;
      case "twitch.chat.message": {
        const user = data.user as { displayName?: string } | undefined;
        this.#broadcast({
          event: "chat",
          data: { kind: "chat", user: user?.displayName ?? "?", text: String(data.text) },
        });
        return;
      }
    }
    if (event.type.startsWith("system.")) return;
    const { id, type, source, timestamp } = event;
    this.#broadcast({ event: "event", data: { id, type, source, timestamp, data: event.data } });
  }

  #onRecord(record: LogRecord): void {
    if (record.level !== "warn" && record.level !== "error") return;
    const module = typeof record.fields.module === "string" ? record.fields.module : null;
    this.#broadcast({
      event: "log",
      data: { level: record.level, module, message: record.message, at: Date.now() },
    });
    // A failed reload is only logged (the old version keeps serving): refresh the module's row.
    if (module !== null) this.moduleChanged(module);
  }

  #onChat(output: AdminChatOutput): void {
    if (output.kind === "chat") return; // the bus carries the viewer's line
    this.#broadcast({
      event: "chat",
      data: { kind: output.kind, text: output.text, replyTo: output.replyTo ?? null },
    });
  }

  /** Sends the module's new view (and fresh stats) soon; bursts are coalesced. */
  moduleChanged(name: string): void {
    this.#dirty.add(name);
    if (this.#flushing) return;
    this.#flushing = true;
    // Coalesce a burst (state change + reload + log line) into one update per module.
    setImmediate(() => void this.#flush());
  }

  async #flush(): Promise<void> {
    try {
      while (this.#dirty.size > 0) {
        const names = [...this.#dirty];
        this.#dirty.clear();
        for (const name of names) {
          if (!this.#host.registry.has(name)) continue;
          this.#sendIfChanged(`module:${name}`, {
            event: "module",
            data: await this.#views.one(name),
          });
        }
        this.#sendIfChanged("stats", { event: "stats", data: await statsView(this.#host) });
      }
    } catch (error) {
      this.#host.logger.warn(`admin live update failed: ${(error as Error).message}`);
    } finally {
      this.#flushing = false;
    }
  }
}
