import type { ApiClient } from "@twurple/api";
import { getRawData } from "@twurple/common";
import type { EventSubSubscription } from "@twurple/eventsub-base";
import { EventSubWsListener } from "@twurple/eventsub-ws";
import type { ConnectionState, Logger } from "starstreamer";
import { EVENTSUB_TOPICS } from "./eventsub-mapping.ts";
import { eventSubFrameSchema, eventSubMetadataSchema } from "./eventsub-wire.external.ts";
import { type SecretRedactor, safeMessage, twurpleLoggerOptions } from "./redact.ts";

type Handler = (event: object) => void;
type Subscribe = (listener: EventSubWsListener, userId: string, handler: Handler) => EventSubSubscription;

const SUBSCRIBE: Record<string, Subscribe> = {
  "channel.follow": (l, id, h) => l.onChannelFollow(id, id, h),
  "channel.subscribe": (l, id, h) => l.onChannelSubscription(id, h),
  "channel.subscription.gift": (l, id, h) => l.onChannelSubscriptionGift(id, h),
  "channel.subscription.message": (l, id, h) => l.onChannelSubscriptionMessage(id, h),
  "channel.cheer": (l, id, h) => l.onChannelCheer(id, h),
  "channel.raid": (l, id, h) => l.onChannelRaidTo(id, h),
  "channel.hype_train.begin": (l, id, h) => l.onChannelHypeTrainBeginV2(id, h),
  "channel.hype_train.progress": (l, id, h) => l.onChannelHypeTrainProgressV2(id, h),
  "channel.hype_train.end": (l, id, h) => l.onChannelHypeTrainEndV2(id, h),
  "channel.channel_points_custom_reward_redemption.add": (l, id, h) => l.onChannelRedemptionAdd(id, h),
  "stream.online": (l, id, h) => l.onStreamOnline(id, h),
  "stream.offline": (l, id, h) => l.onStreamOffline(id, h),
};

/** What the EventSub connection needs. */
export interface TwitchEventSubOptions {
  api: ApiClient;
  broadcasterId: string;
  /** The broadcaster token's scopes, to name the missing one when a subscription fails. */
  scopes: string[];
  logger: Logger;
  redactor: SecretRedactor;
  /** Pass twurple's debug lines on (scrubbed). */
  debug?: boolean;
  emit(type: string, data: unknown): void;
  onState(state: ConnectionState, reason?: string): void;
  /** A subscription could not be made or was revoked: one line for the status and log. */
  onProblem(type: string, problem: string): void;
}

interface Emitter {
  onReceive: unknown;
  emit(event: unknown, ...args: unknown[]): void;
}

/**
 * Checks one EventSub frame before twurple sees it. twurple's socket handler calls `JSON.parse`
 * unguarded: a bad frame would throw out of the WebSocket's message handler (killing the process,
 * or, with a global guard, leaving the socket dead until the keepalive timer fires).
 */
export function checkEventSubFrame(frame: unknown): { ok: true } | { ok: false; reason: string } {
  if (typeof frame !== "string") return { ok: false, reason: "not a text frame" };
  let json: unknown;
  try {
    json = JSON.parse(frame);
  } catch {
    return { ok: false, reason: `not JSON: ${frame.slice(0, 80)}` };
  }
  const envelope = eventSubMetadataSchema.safeParse(json);
  if (!envelope.success)
    return { ok: false, reason: "no metadata.message_id/message_type/message_timestamp" };
  const parsed = eventSubFrameSchema.safeParse({
    message_type: envelope.data.metadata.message_type,
    payload: envelope.data.payload,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      reason: `bad ${envelope.data.metadata.message_type} frame (${issue?.path.join(".")}: ${issue?.message})`,
    };
  }
  if (
    parsed.data.message_type === "notification" &&
    !EVENTSUB_TOPICS[parsed.data.payload.subscription.type]
  ) {
    return { ok: false, reason: `notification of unknown type ${parsed.data.payload.subscription.type}` };
  }
  return { ok: true };
}

/** EventSubWsListener whose sockets drop malformed frames instead of crashing on them. */
class GuardedEventSubWsListener extends EventSubWsListener {
  #onBadFrame: (reason: string) => void = () => {};

  guard(onBadFrame: (reason: string) => void): void {
    this.#onBadFrame = onBadFrame;
  }

  /** twurple's internal hook, called once per user socket; wraps the socket's frame dispatch. */
  _createSocketForUser(authUserId: string): void {
    const base = EventSubWsListener.prototype as unknown as { _createSocketForUser(id: string): void };
    base._createSocketForUser.call(this, authUserId);
    const sockets = (this as unknown as { _sockets: Map<string, { _connection: Emitter }> })._sockets;
    const connection = sockets.get(authUserId)?._connection;
    if (!connection) return;
    const emit = connection.emit.bind(connection);
    connection.emit = (event: unknown, ...args: unknown[]) => {
      if (event === connection.onReceive) {
        const verdict = checkEventSubFrame(args[0]);
        if (!verdict.ok) return this.#onBadFrame(verdict.reason);
      }
      try {
        emit(event, ...args);
      } catch (error) {
        this.#onBadFrame(`twurple failed on a frame: ${(error as Error).message}`);
      }
    };
  }
}

/** EventSub over WebSocket through twurple: subscribes to every topic and publishes domain events. */
export class TwitchEventSub {
  readonly #options: TwitchEventSubOptions;
  readonly #listener: GuardedEventSubWsListener;
  readonly #types = new Map<EventSubSubscription, string>();
  /** Subscription types Twitch confirmed and still delivers. */
  readonly active = new Set<string>();
  #stopping = false;

  constructor(options: TwitchEventSubOptions) {
    this.#options = options;
    this.#listener = new GuardedEventSubWsListener({
      apiClient: options.api,
      logger: twurpleLoggerOptions(options.logger, options.redactor, { debug: options.debug ?? false }),
    });
    this.#listener.guard((reason) =>
      options.logger.warn(`twitch eventsub: dropped a malformed frame: ${reason}`),
    );
    this.#listen();
  }

  start(): void {
    this.#options.onState("connecting");
    for (const [type, subscribe] of Object.entries(SUBSCRIBE)) {
      const topic = EVENTSUB_TOPICS[type]!;
      const subscription = subscribe(this.#listener, this.#options.broadcasterId, (event) =>
        this.#deliver(type, event),
      );
      this.#types.set(subscription, type);
      if (topic.scopes.length > 0 && !topic.scopes.some((s) => this.#options.scopes.includes(s))) {
        this.#options.logger.debug(
          `twitch eventsub: ${type} will fail: the token lacks ${topic.scopes.join(" or ")}`,
        );
      }
    }
    this.#listener.start();
  }

  stop(): void {
    this.#stopping = true;
    this.#listener.stop();
    this.active.clear();
  }

  #deliver(type: string, event: object): void {
    const topic = EVENTSUB_TOPICS[type]!;
    let data: unknown;
    try {
      data = topic.map(getRawData(event as never));
      this.#options.emit(topic.event, data);
    } catch (error) {
      const issue = (error as { issues?: Array<{ path: PropertyKey[]; message: string }> }).issues?.[0];
      const why = issue
        ? `${issue.path.join(".")}: ${issue.message}`
        : safeMessage(error, this.#options.redactor);
      this.#options.logger.warn(`twitch eventsub: dropped a malformed ${type} notification (${why})`);
    }
  }

  #listen(): void {
    const o = this.#options;
    const l = this.#listener;
    l.onUserSocketReady(() => o.onState("connected"));
    l.onUserSocketDisconnect((_userId, error) => {
      this.active.clear();
      if (!this.#stopping)
        o.onState("reconnecting", error ? safeMessage(error, o.redactor) : "socket closed");
    });
    l.onSubscriptionCreateSuccess((subscription) => {
      const type = this.#types.get(subscription);
      if (type) this.active.add(type);
    });
    l.onSubscriptionCreateFailure((subscription, error) => {
      const type = this.#types.get(subscription) ?? subscription.id;
      const topic = EVENTSUB_TOPICS[type];
      const missing = topic && topic.scopes.length > 0 && !topic.scopes.some((s) => o.scopes.includes(s));
      const body = (error as { body?: string }).body;
      const message = body ? (safeJson(body)?.message ?? body) : safeMessage(error, o.redactor);
      o.onProblem(
        type,
        missing
          ? `missing scope ${topic.scopes.join(" or ")} (log in again with \`npx starstreamer auth\` to grant it)`
          : `subscription failed: ${o.redactor.redact(String(message))}`,
      );
    });
    l.onRevoke((subscription, status) => {
      const type = this.#types.get(subscription) ?? subscription.id;
      this.active.delete(type);
      o.onProblem(type, `revoked by Twitch (${status})`);
    });
  }
}

function safeJson(text: string): { message?: string } | null {
  try {
    return JSON.parse(text) as { message?: string };
  } catch {
    return null;
  }
}
