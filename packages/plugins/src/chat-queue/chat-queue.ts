import { type Logger, StarStreamerError } from "starstreamer";
import { PluginErrorCodes } from "../errors.ts";
import {
  type ChatModuleQuota,
  type ChatModuleStats,
  type ChatQueueSettings,
  type ChatQueueStats,
  type ChatSend,
  DEFAULT_CHAT_MAX_QUEUED,
  DEFAULT_CHAT_PRIORITIES,
  DEFAULT_CHAT_PRIORITY,
  type OutgoingChatMessage,
  RetryableSendError,
} from "./chat-queue-types.ts";

interface Entry {
  message: OutgoingChatMessage;
  resolve: () => void;
  reject: (error: Error) => void;
}

interface ModuleLane {
  quota: ChatModuleQuota;
  entries: Entry[];
  sends: number[];
  stats: ChatModuleStats;
  lastServed: number;
}

const RECENT = 50;

/**
 * The one outgoing chat queue, shared by the Twitch plugin and the local chat. Each module has a
 * lane with a priority and a quota: the highest-priority module under its fair share sends next,
 * modules of equal priority take turns, a module that floods is throttled (it yields to the others)
 * and, once its lane is full, told so with SS_CHAT_QUOTA_EXCEEDED. One message is in flight at a
 * time, so Twitch's own limiter (twurple's) never holds a backlog that would jump the priorities.
 * @example
 * const queue = createChatQueue((m) => chat.say(m.channel, m.text), { modules: { alerts: { priority: 90 } } });
 * queue.setReady(true);
 * await queue.send("greeter", "Hello!", { channel: "streamer" });
 */
export class ChatQueue {
  readonly #send: ChatSend;
  readonly #settings: Required<Omit<ChatQueueSettings, "accountLimit" | "modules" | "budget">> &
    ChatQueueSettings;
  readonly #lanes = new Map<string, ModuleLane>();
  readonly #recent: ChatQueueStats["recent"] = [];
  readonly #accountSends: number[] = [];
  readonly #logger: Logger | undefined;
  #ready = false;
  #inFlight: Entry | null = null;
  #timer: NodeJS.Timeout | null = null;
  #timerKind: "pace" | "reserve" = "pace";
  #closed = false;
  #closeReason: Error | null = null;
  #turn = 0;
  #lastSent: { module: string; channel: string } | null = null;

  constructor(send: ChatSend, settings: ChatQueueSettings = {}, logger?: Logger) {
    this.#send = send;
    this.#logger = logger;
    this.#settings = {
      ...settings,
      defaultPriority: settings.defaultPriority ?? DEFAULT_CHAT_PRIORITY,
      defaultMaxQueued: settings.defaultMaxQueued ?? DEFAULT_CHAT_MAX_QUEUED,
      share: settings.share ?? { messages: 10, windowMs: 30_000 },
      maxWaitMs: settings.maxWaitMs ?? 300_000,
    };
  }

  /**
   * Queues `text` from `module`; resolves once it went out. Rejects with SS_CHAT_QUOTA_EXCEEDED
   * when the module's lane is full, SS_CHAT_MESSAGE_INVALID for an empty text.
   */
  send(module: string, text: string, options: { channel: string; replyTo?: string | null }): Promise<void> {
    if (typeof text !== "string" || text.trim().length === 0) {
      return Promise.reject(
        new StarStreamerError(PluginErrorCodes.CHAT_MESSAGE_INVALID, "sendMessage needs a non-empty string", {
          data: { module },
        }),
      );
    }
    if (this.#closed) return Promise.reject(this.#closedError());
    const lane = this.#lane(module);
    if (lane.entries.length >= lane.quota.maxQueued) {
      lane.stats.dropped++;
      if (lane.stats.dropped === 1 || lane.stats.dropped % 100 === 0) {
        this.#logger?.warn(
          `chat: ${module} is sending faster than chat allows; dropped ${lane.stats.dropped} so far`,
          {
            module,
            maxQueued: lane.quota.maxQueued,
          },
        );
      }
      return Promise.reject(
        new StarStreamerError(
          PluginErrorCodes.CHAT_QUOTA_EXCEEDED,
          `chat: ${module} already has ${lane.quota.maxQueued} messages waiting; this one was dropped (${lane.stats.dropped} dropped so far)`,
          { data: { module, maxQueued: lane.quota.maxQueued, dropped: lane.stats.dropped } },
        ),
      );
    }
    return new Promise<void>((resolve, reject) => {
      const message: OutgoingChatMessage = {
        module,
        text,
        channel: options.channel,
        replyTo: options.replyTo ?? null,
        queuedAt: Date.now(),
      };
      lane.entries.push({ message, resolve, reject });
      lane.stats.queued = lane.entries.length;
      this.#pump();
    });
  }

  /** Tells the queue whether the connection can send (joined) or not (disconnected). */
  setReady(ready: boolean): void {
    this.#ready = ready;
    if (ready) this.#pump();
  }

  get ready(): boolean {
    return this.#ready;
  }

  /** Counts the chat's refusal of the last message sent to `channel` against the module that sent it. */
  recordRejection(channel: string, reason: string): void {
    const last = this.#lastSent && this.#lastSent.channel === channel ? this.#lastSent : null;
    const module = last?.module ?? "unknown";
    const lane = this.#lanes.get(module);
    if (lane) lane.stats.rejected++;
    this.#logger?.warn(`chat refused a message from ${module} in #${channel}: ${reason}`, { module, reason });
  }

  stats(): ChatQueueStats {
    const modules: Record<string, ChatModuleStats> = {};
    let queued = 0;
    for (const [name, lane] of this.#lanes) {
      modules[name] = { ...lane.stats, queued: lane.entries.length };
      queued += lane.entries.length;
    }
    return {
      ready: this.#ready,
      queued,
      inFlight: this.#inFlight ? 1 : 0,
      modules,
      recent: [...this.#recent],
    };
  }

  /**
   * Rejects everything waiting, and every later send, with `reason` (default SS_CHAT_QUEUE_CLOSED:
   * the bot is shutting down; the Twitch plugin passes its login error when Twitch refused it).
   */
  close(reason?: Error): void {
    this.#closed = true;
    if (reason) this.#closeReason = reason;
    if (this.#timer) clearTimeout(this.#timer);
    for (const lane of this.#lanes.values()) {
      for (const entry of lane.entries.splice(0)) entry.reject(this.#closedError());
    }
  }

  #closedError(): Error {
    return (
      this.#closeReason ??
      new StarStreamerError(
        PluginErrorCodes.CHAT_QUEUE_CLOSED,
        "chat: the bot is shutting down; message not sent",
      )
    );
  }

  #lane(module: string): ModuleLane {
    let lane = this.#lanes.get(module);
    if (!lane) {
      const configured = this.#settings.modules?.[module] ?? {};
      const quota: ChatModuleQuota = {
        priority: configured.priority ?? DEFAULT_CHAT_PRIORITIES[module] ?? this.#settings.defaultPriority,
        maxQueued: configured.maxQueued ?? this.#settings.defaultMaxQueued,
      };
      lane = {
        quota,
        entries: [],
        sends: [],
        lastServed: 0,
        stats: { priority: quota.priority, queued: 0, sent: 0, dropped: 0, rejected: 0, lastSentAt: null },
      };
      this.#lanes.set(module, lane);
    }
    return lane;
  }

  /** Whether the account budget has only its reserve left (then over-share lanes wait). */
  #reserveReached(now: number): boolean {
    const budget = this.#settings.budget ?? this.#settings.accountLimit;
    if (!budget) return false;
    while (this.#accountSends.length > 0 && this.#accountSends[0]! <= now - budget.windowMs)
      this.#accountSends.shift();
    const reserve = (budget as { reserve?: number }).reserve ?? Math.ceil(budget.messages / 5);
    return this.#accountSends.length >= budget.messages - reserve;
  }

  /**
   * The next entry to send: under-share lanes first, then by priority, then whoever waited longest.
   * Returns a delay instead when only over-share lanes wait and the budget is down to its reserve.
   */
  #pick(now: number): Entry | { retryInMs: number } | null {
    const { share } = this.#settings;
    const reserveReached = this.#reserveReached(now);
    let best: ModuleLane | null = null;
    let bestKey: [number, number, number] | null = null;
    let blocked = false;
    for (const lane of this.#lanes.values()) {
      this.#expire(lane, now);
      if (lane.entries.length === 0) continue;
      while (lane.sends.length > 0 && lane.sends[0]! <= now - share.windowMs) lane.sends.shift();
      const underShare = lane.sends.length < share.messages;
      if (!underShare && reserveReached) {
        blocked = true;
        continue;
      }
      const key: [number, number, number] = [underShare ? 1 : 0, lane.quota.priority, -lane.lastServed];
      if (!bestKey || compare(key, bestKey) > 0) {
        best = lane;
        bestKey = key;
      }
    }
    if (!best) {
      if (!blocked) return null;
      const budget = (this.#settings.budget ?? this.#settings.accountLimit)!;
      return { retryInMs: Math.max(1, this.#accountSends[0]! + budget.windowMs - now) };
    }
    best.lastServed = ++this.#turn;
    const entry = best.entries.shift()!;
    best.stats.queued = best.entries.length;
    return entry;
  }

  #expire(lane: ModuleLane, now: number): void {
    while (lane.entries.length > 0 && lane.entries[0]!.message.queuedAt < now - this.#settings.maxWaitMs) {
      const entry = lane.entries.shift()!;
      lane.stats.dropped++;
      entry.reject(
        new StarStreamerError(
          PluginErrorCodes.CHAT_MESSAGE_EXPIRED,
          `chat: a message from ${entry.message.module} waited over ${Math.round(this.#settings.maxWaitMs / 1000)} s (chat was not available) and was dropped`,
          { data: { module: entry.message.module } },
        ),
      );
    }
  }

  /** Milliseconds until the account limit lets one more message out (0: now). */
  #accountWait(now: number): number {
    const limit = this.#settings.accountLimit;
    if (!limit) return 0;
    while (this.#accountSends.length > 0 && this.#accountSends[0]! <= now - limit.windowMs)
      this.#accountSends.shift();
    if (this.#accountSends.length < limit.messages) return 0;
    return this.#accountSends[0]! + limit.windowMs - now;
  }

  #schedule(kind: "pace" | "reserve", ms: number): void {
    this.#timerKind = kind;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#pump();
    }, ms);
  }

  #pump(): void {
    if (!this.#ready || this.#inFlight || this.#closed) return;
    if (this.#timer) {
      // The account pace holds everyone; a reserve wait only holds over-share lanes, so look again.
      if (this.#timerKind === "pace") return;
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    const now = Date.now();
    const wait = this.#accountWait(now);
    if (wait > 0) {
      this.#schedule("pace", wait);
      return;
    }
    const entry = this.#pick(now);
    if (!entry) return;
    if ("retryInMs" in entry) {
      this.#schedule("reserve", entry.retryInMs);
      return;
    }
    this.#inFlight = entry;
    this.#deliver(entry);
  }

  #deliver(entry: Entry): void {
    const { message } = entry;
    const lane = this.#lane(message.module);
    this.#send(message).then(
      () => {
        const at = Date.now();
        lane.sends.push(at);
        if (this.#settings.budget || this.#settings.accountLimit) this.#accountSends.push(at);
        lane.stats.sent++;
        lane.stats.lastSentAt = at;
        this.#lastSent = { module: message.module, channel: message.channel };
        this.#recent.push({ module: message.module, channel: message.channel, text: message.text, at });
        if (this.#recent.length > RECENT) this.#recent.shift();
        this.#inFlight = null;
        entry.resolve();
        this.#pump();
      },
      (error: Error) => {
        this.#inFlight = null;
        if (error instanceof RetryableSendError && !this.#closed) {
          // Not sent: back to the front of its lane, out again once the connection says it is back.
          this.#ready = false;
          lane.entries.unshift(entry);
          lane.stats.queued = lane.entries.length;
        } else {
          entry.reject(error);
        }
        this.#pump();
      },
    );
  }
}

function compare(a: [number, number, number], b: [number, number, number]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/** Creates a {@link ChatQueue}. */
export function createChatQueue(send: ChatSend, settings?: ChatQueueSettings, logger?: Logger): ChatQueue {
  return new ChatQueue(send, settings, logger);
}
