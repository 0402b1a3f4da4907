import type { StarEvent } from "starstreamer";
import { type CompiledTriggers, createEventView } from "../triggers/index.ts";
import { encodeEntry } from "./delivery-entry.ts";

/** One handler of one module, as routing sees it. */
export interface RouteHandler {
  info: { id: number; type: string };
  triggers: Pick<CompiledTriggers, "commandNames" | "evaluate">;
}

/** One module as routing sees it: its order, whether it takes events now, its queue. */
export interface RouteModule {
  readonly index: number;
  handlers: readonly RouteHandler[];
  queue: { push(json: string): boolean };
}

interface Subscription<M extends RouteModule> {
  module: M;
  handler: RouteHandler;
}

/** What routing one event did. */
export interface RouteOutcome {
  /** Modules the event was queued for. */
  routed: number;
  /** Usage replies to send (a command with malformed arguments). */
  usage: string[];
}

/**
 * The pre-filter and router: picks the candidate handlers of an event without looking at the
 * others (the first word of a chat message looks up command handlers; other types by exact type;
 * `*` and `x.*` by prefix), evaluates their triggers on the main thread, and pushes one
 * pre-serialised entry per module onto that module's queue. Rebuilt whenever the set of routed
 * handlers changes; routing itself allocates only for hits.
 */
export class RouteIndex<M extends RouteModule> {
  #byType = new Map<string, Subscription<M>[]>();
  #byCommand = new Map<string, Subscription<M>[]>();
  #wildcards: Array<{ prefix: string; sub: Subscription<M> }> = [];
  #chatOther: Subscription<M>[] = [];
  #routed: (module: M) => boolean;

  /** `routed` says whether a module takes events at this moment (checked per event). */
  constructor(routed: (module: M) => boolean) {
    this.#routed = routed;
  }

  /** Indexes the handlers of these modules (those that have a worker, or will again). */
  rebuild(modules: Iterable<M>): void {
    const byType = new Map<string, Subscription<M>[]>();
    const byCommand = new Map<string, Subscription<M>[]>();
    const wildcards: Array<{ prefix: string; sub: Subscription<M> }> = [];
    const chatOther: Subscription<M>[] = [];
    const add = (map: Map<string, Subscription<M>[]>, key: string, sub: Subscription<M>) => {
      const list = map.get(key) ?? [];
      list.push(sub);
      map.set(key, list);
    };
    for (const module of modules) {
      for (const handler of module.handlers) {
        const sub = { module, handler };
        const type = handler.info.type;
        if (type === "*" || type.endsWith(".*")) {
          wildcards.push({ prefix: type === "*" ? "" : type.slice(0, -1), sub });
        } else if (type === "twitch.chat.message" && handler.triggers.commandNames) {
          for (const token of handler.triggers.commandNames) add(byCommand, token, sub);
        } else if (type === "twitch.chat.message") {
          chatOther.push(sub);
        } else {
          add(byType, type, sub);
        }
      }
    }
    this.#byType = byType;
    this.#byCommand = byCommand;
    this.#wildcards = wildcards;
    this.#chatOther = chatOther;
  }

  /** Command tokens answered by more than one module: token -> module indexes. */
  commandOwners(): Map<string, Set<M>> {
    const owners = new Map<string, Set<M>>();
    for (const [token, subs] of this.#byCommand) owners.set(token, new Set(subs.map((s) => s.module)));
    return owners;
  }

  /** Routes one event: evaluates candidates' triggers and queues one entry per module with hits. */
  route(event: StarEvent, now = Date.now()): RouteOutcome {
    const outcome: RouteOutcome = { routed: 0, usage: [] };
    const candidates = this.#candidates(event);
    if (candidates === null) return outcome;
    const view = createEventView(event);
    let eventJson: string | undefined;
    let current: M | null = null;
    let hits: Array<[number, unknown]> = [];
    const flush = () => {
      if (current && hits.length > 0) {
        eventJson ??= JSON.stringify(event);
        current.queue.push(encodeEntry(eventJson, hits));
        outcome.routed++;
      }
      hits = [];
    };
    for (const list of candidates) {
      for (const { module, handler } of list) {
        if (!this.#routed(module)) continue;
        const result = handler.triggers.evaluate(event, view, now);
        if (!result.pass) {
          if (result.usage) {
            outcome.usage.push(
              `${view.user ? `@${view.user.displayName} ` : ""}${result.usage.text} (${result.usage.error})`,
            );
          }
          continue;
        }
        if (module !== current) {
          flush();
          current = module;
        }
        hits.push([handler.info.id, result.match]);
      }
    }
    flush();
    return outcome;
  }

  #candidates(event: StarEvent): Subscription<M>[][] | null {
    const lists: Subscription<M>[][] = [];
    if (event.type === "twitch.chat.message") {
      const text = (event.data as { text?: unknown }).text;
      if (typeof text === "string" && this.#byCommand.size > 0) {
        const end = text.indexOf(" ");
        const token = (end < 0 ? text : text.slice(0, end)).toLowerCase();
        const commands = this.#byCommand.get(token);
        if (commands) lists.push(commands);
      }
      if (this.#chatOther.length > 0) lists.push(this.#chatOther);
    } else {
      const exact = this.#byType.get(event.type);
      if (exact) lists.push(exact);
    }
    if (this.#wildcards.length > 0) {
      const matching = this.#wildcards.filter((w) => event.type.startsWith(w.prefix)).map((w) => w.sub);
      if (matching.length > 0) lists.push(matching);
    }
    if (lists.length === 0) return null;
    if (lists.length > 1) {
      // One module's hits must be contiguous so that they travel as one entry, in registration order.
      const merged = lists.flat();
      merged.sort((a, b) => a.module.index - b.module.index || a.handler.info.id - b.handler.info.id);
      return [merged];
    }
    return lists;
  }
}
