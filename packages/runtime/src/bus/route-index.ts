import type { StarEvent } from "starstreamer";
import type { CompiledTriggers } from "../triggers/compile.ts";
import { createEventView, type EventView } from "../triggers/event-view.ts";
import { TextFilter } from "../triggers/text-filter.ts";
import { entryOf, hitOf } from "./delivery-entry.ts";
import { eventJson } from "./event-json.ts";

/** One handler of one module, as routing sees it. */
export interface RouteHandler {
  info: { id: number; type: string };
  triggers: Pick<CompiledTriggers, "commandNames" | "requiredText" | "route">;
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
  usage: readonly string[];
}

const CHAT = "twitch.chat.message";
const NO_USAGE: readonly string[] = Object.freeze([]);
const NOTHING: RouteOutcome = Object.freeze({ routed: 0, usage: NO_USAGE });

/** One event's routing in progress: the module whose hits are being gathered, and the outcome. */
class Routing<M extends RouteModule> {
  /** Made on the first usage reply: most events have none. */
  usage: readonly string[] = NO_USAGE;
  routed = 0;
  #event: StarEvent;
  #json: string | undefined;
  #current: M | null = null;
  /** The current module's hits as JSON, comma-separated ("" for none yet). */
  #hits = "";

  constructor(event: StarEvent) {
    this.#event = event;
  }

  /** A hit of `module`'s handler `id`, with its match's JSON. */
  hit(module: M, id: number, matchJson: string): void {
    if (module !== this.#current) {
      this.flush();
      this.#current = module;
    }
    const hit = hitOf(id, matchJson);
    this.#hits = this.#hits === "" ? hit : `${this.#hits},${hit}`;
  }

  /** Queues the current module's hits as one entry (the event serialised once for all modules). */
  flush(): void {
    if (this.#current && this.#hits !== "") {
      this.#json ??= eventJson(this.#event);
      this.#current.queue.push(entryOf(this.#json, this.#hits));
      this.routed++;
      this.#hits = "";
    }
  }
}

/**
 * The pre-filter and router: picks the candidate handlers of an event without looking at the
 * others (the first word of a chat message looks up command handlers; other types by exact type;
 * `*` and `x.*` by prefix), evaluates their triggers on the main thread, and pushes one
 * pre-serialised entry per module onto that module's queue. Chat handlers without a command are
 * candidates for every message: a {@link TextFilter} narrows them to those whose required text
 * (keywords, a regex's literal) the message contains, in one pass over it. Rebuilt whenever the set
 * of routed handlers changes.
 */
export class RouteIndex<M extends RouteModule> {
  #byType = new Map<string, Subscription<M>[]>();
  #byCommand = new Map<string, Subscription<M>[]>();
  #wildcards: Array<{ prefix: string; sub: Subscription<M> }> = [];
  #chatOther: Subscription<M>[] = [];
  /** The pre-filter of `#chatOther`, entry for entry. */
  #chatFilter = new TextFilter([]);
  /** First characters (ASCII) of command tokens: most chat lines start with none of them. */
  #commandStarts = new Uint8Array(128);
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
    this.#chatFilter = new TextFilter(chatOther.map((sub) => sub.handler.triggers.requiredText));
    this.#commandStarts = new Uint8Array(128);
    for (const token of byCommand.keys()) {
      const code = token.charCodeAt(0);
      if (code < 128) this.#commandStarts[code] = 1;
    }
  }

  /** Command tokens answered by more than one module: token -> module indexes. */
  commandOwners(): Map<string, Set<M>> {
    const owners = new Map<string, Set<M>>();
    for (const [token, subs] of this.#byCommand) owners.set(token, new Set(subs.map((s) => s.module)));
    return owners;
  }

  /**
   * Routes one event: evaluates candidates' triggers and queues one entry per module with hits.
   * An event without candidates allocates nothing but, for a chat line, its event view.
   */
  route(event: StarEvent, now = Date.now()): RouteOutcome {
    const isChat = event.type === CHAT;
    const exact = isChat ? this.#commandCandidates(event) : (this.#byType.get(event.type) ?? null);
    let view: EventView | null = null;
    let others = false;
    if (isChat && this.#chatOther.length > 0) {
      view = createEventView(event);
      others = this.#chatFilter.scan(view) > 0;
    }
    const wild = this.#wildcards.length > 0 ? this.#wildcardCandidates(event.type) : null;
    if (exact === null && !others && wild === null) return NOTHING;
    view ??= createEventView(event);
    // The candidates are settled before any trigger runs (the filter holds only the last scan).
    let subs: Subscription<M>[] = others ? this.#chatOther.filter((_, i) => this.#chatFilter.may(i)) : [];
    let sources = others ? 1 : 0;
    for (const list of [exact, wild]) {
      if (list === null) continue;
      subs = sources === 0 ? list : subs.concat(list);
      sources++;
    }
    // One module's hits must be contiguous so that they travel as one entry, in registration order.
    if (sources > 1) {
      subs.sort((a, b) => a.module.index - b.module.index || a.handler.info.id - b.handler.info.id);
    }
    const routing = new Routing<M>(event);
    for (const sub of subs) this.#evaluate(sub, event, view, now, routing);
    routing.flush();
    return routing;
  }

  #evaluate(sub: Subscription<M>, event: StarEvent, view: EventView, now: number, routing: Routing<M>): void {
    const { module, handler } = sub;
    if (!this.#routed(module)) return;
    const result = handler.triggers.route(event, view, now);
    if (result.pass) {
      routing.hit(module, handler.info.id, result.json ?? JSON.stringify(result.match));
    } else if (result.usage) {
      routing.usage = [
        ...routing.usage,
        `${view.user ? `@${view.user.displayName} ` : ""}${result.usage.text} (${result.usage.error})`,
      ];
    }
  }

  /** The command handlers of a chat message's first word (up to the first space, lower-cased). */
  #commandCandidates(event: StarEvent): Subscription<M>[] | null {
    if (this.#byCommand.size === 0) return null;
    const text = (event.data as { text?: unknown }).text;
    if (typeof text !== "string") return null;
    // A line whose first character starts no command needs no token (lower-casing keeps an ASCII
    // character that is not A-Z as it is).
    const first = text.charCodeAt(0);
    if (first < 128 && !(first >= 65 && first <= 90) && this.#commandStarts[first] === 0) return null;
    const end = text.indexOf(" ");
    const token = (end < 0 ? text : text.slice(0, end)).toLowerCase();
    return this.#byCommand.get(token) ?? null;
  }

  #wildcardCandidates(type: string): Subscription<M>[] | null {
    const matching = this.#wildcards.filter((w) => type.startsWith(w.prefix)).map((w) => w.sub);
    return matching.length > 0 ? matching : null;
  }
}
