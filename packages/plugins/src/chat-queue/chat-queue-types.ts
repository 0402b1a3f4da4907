/** One chat message waiting in (or leaving) the queue. */
export interface OutgoingChatMessage {
  /** The module that sent it, or `"host"`. */
  module: string;
  text: string;
  channel: string;
  /** Message id this one replies to. */
  replyTo: string | null;
  /** Epoch ms when it was queued. */
  queuedAt: number;
}

/** A module's place in the queue: higher priority goes first; at most `maxQueued` messages wait. */
export interface ChatModuleQuota {
  priority: number;
  maxQueued: number;
}

/** How the queue shares the chat between modules. */
export interface ChatQueueSettings {
  /** Priority and quota by module name; others get the defaults. */
  modules?: Record<string, Partial<ChatModuleQuota>>;
  defaultPriority?: number;
  defaultMaxQueued?: number;
  /**
   * A module's fair share: after `messages` sends within `windowMs` it yields to every module still
   * under its share (it is throttled, not dropped). Default 10 per 30 s.
   */
  share?: { messages: number; windowMs: number };
  /** A message that waited longer than this is dropped with SS_CHAT_MESSAGE_EXPIRED. Default 5 min. */
  maxWaitMs?: number;
  /**
   * The account's chat budget on Twitch (20 per 30 s for a plain account, 100 for a moderator or
   * the broadcaster). A module past its fair share may only use it up to `reserve` messages short
   * of the limit (default a fifth), so a flood never spends the slots another module's reply needs.
   * Defaults to `accountLimit` when that is set.
   */
  budget?: { messages: number; windowMs: number; reserve?: number };
  /**
   * Paces the sends like Twitch's account limit (the local chat uses it so that rehearsal shows what
   * live would do; the Twitch plugin leaves it to twurple's limiter).
   */
  accountLimit?: { messages: number; windowMs: number };
}

/**
 * Default priorities: alerts above ordinary modules, games below them. A module not listed gets
 * {@link DEFAULT_CHAT_PRIORITY}.
 */
export const DEFAULT_CHAT_PRIORITIES: Readonly<Record<string, number>> = Object.freeze({
  host: 100,
  alerts: 80,
  games: 20,
  rpg: 20,
});
/** Priority of a module with no entry in the settings or {@link DEFAULT_CHAT_PRIORITIES}. */
export const DEFAULT_CHAT_PRIORITY = 50;
/** Messages a module may have waiting before more are refused. */
export const DEFAULT_CHAT_MAX_QUEUED = 20;

/** Per-module counts, for stats and the admin page. */
export interface ChatModuleStats {
  priority: number;
  queued: number;
  sent: number;
  /** Refused by the queue (quota full, expired). */
  dropped: number;
  /** Refused by Twitch after sending (room mode, duplicate, ...). */
  rejected: number;
  lastSentAt: number | null;
}

/** What the queue reports. */
export interface ChatQueueStats {
  ready: boolean;
  queued: number;
  inFlight: number;
  modules: Record<string, ChatModuleStats>;
  /** The last messages sent, newest last: who sent what. */
  recent: Array<{ module: string; channel: string; text: string; at: number }>;
}

/** Thrown by a transport when a send did not happen and may be retried (the connection dropped). */
export class RetryableSendError extends Error {
  constructor(message = "chat connection lost before the message went out") {
    super(message);
    this.name = "RetryableSendError";
  }
}

/** How the queue hands a message to the chat connection. */
export type ChatSend = (message: OutgoingChatMessage) => Promise<void>;
