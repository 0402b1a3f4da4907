import { randomUUID } from "node:crypto";
import type { WebSocket } from "ws";
import { Recorder } from "../fake-plugins.ts";
import { FAKE_EVENTSUB_TYPES, type FakeEventSubType } from "./eventsub-payloads.ts";
import type { FakeToken } from "./fake-state.ts";

/** An EventSub subscription as Twitch stores and returns it. */
export interface FakeSubscription {
  id: string;
  status: string;
  type: string;
  version: string;
  condition: Record<string, unknown>;
  created_at: string;
  transport: { method: "websocket"; session_id: string; connected_at: string };
  cost: number;
}

/** A frame the fake sent on an EventSub socket, parsed. */
export interface FakeEventSubFrame {
  sessionId: string;
  metadata: {
    message_id: string;
    message_type: string;
    message_timestamp: string;
    subscription_type?: string;
  };
  payload: Record<string, unknown>;
}

interface EventSubSession {
  id: string;
  socket: WebSocket;
  /** The socket being replaced during a `session_reconnect`. */
  previous: WebSocket | null;
  connectedAt: string;
  keepalive: NodeJS.Timeout;
}

/** Answer of the subscriptions endpoint: an HTTP status and a JSON body. */
export interface HttpAnswer {
  status: number;
  body: unknown;
}

/** The EventSub WebSocket part of the fake Twitch (`wss://eventsub.wss.twitch.tv/ws`) and its subscriptions. */
export class FakeEventSub {
  readonly #sessions = new Map<string, EventSubSession>();
  readonly #subscriptions = new Map<string, FakeSubscription>();
  readonly #keepaliveSeconds: number;
  readonly #baseUrl: () => string;
  /** Forced answers for `POST /eventsub/subscriptions`, by subscription type. */
  readonly failures = new Map<string, { status: number; message: string }>();
  /** Every subscription created, in order. */
  readonly created = new Recorder<FakeSubscription>();
  /** Every frame sent (welcome, keepalive, notification, reconnect, revocation). */
  readonly frames = new Recorder<FakeEventSubFrame>();

  constructor(options: { keepaliveSeconds: number; baseUrl: () => string }) {
    this.#keepaliveSeconds = options.keepaliveSeconds;
    this.#baseUrl = options.baseUrl;
  }

  /** The enabled subscriptions. */
  get subscriptions(): FakeSubscription[] {
    return [...this.#subscriptions.values()];
  }

  /** Number of open EventSub sockets. */
  get connections(): number {
    return this.#sessions.size;
  }

  /** Takes over a new WebSocket on `/ws` (a `?reconnect=<session>` URL continues that session). */
  accept(socket: WebSocket, url: URL): void {
    const resumed = url.searchParams.get("reconnect");
    const existing = resumed ? this.#sessions.get(resumed) : undefined;
    let session: EventSubSession;
    if (existing) {
      existing.previous = existing.socket;
      existing.socket = socket;
      session = existing;
    } else {
      const id = `fake_${randomUUID().replaceAll("-", "")}`;
      session = {
        id,
        socket,
        previous: null,
        connectedAt: new Date().toISOString(),
        keepalive: setInterval(
          () => this.#send(session, "session_keepalive", {}),
          this.#keepaliveSeconds * 600,
        ),
      };
      session.keepalive.unref();
      this.#sessions.set(id, session);
    }
    socket.on("close", () => {
      if (session.previous === socket) session.previous = null;
      if (session.socket === socket) this.#endSession(session);
    });
    socket.on("error", () => socket.terminate());
    this.#send(session, "session_welcome", {
      session: {
        id: session.id,
        status: "connected",
        connected_at: session.connectedAt,
        keepalive_timeout_seconds: this.#keepaliveSeconds,
        reconnect_url: null,
        recovery_url: null,
      },
    });
  }

  /** `POST /eventsub/subscriptions`. */
  create(body: unknown, token: FakeToken | null): HttpAnswer {
    if (!token) return error(401, "Unauthorized", "Invalid OAuth token");
    const request = (body ?? {}) as {
      type?: string;
      version?: string;
      condition?: Record<string, unknown>;
      transport?: { method?: string; session_id?: string };
    };
    const spec = FAKE_EVENTSUB_TYPES[request.type as FakeEventSubType];
    if (!spec || request.version !== spec.version) {
      return error(
        400,
        "Bad Request",
        `unknown subscription type ${request.type} version ${request.version}`,
      );
    }
    const forced = this.failures.get(request.type!);
    if (forced) return error(forced.status, "Forbidden", forced.message);
    const session = request.transport?.session_id
      ? this.#sessions.get(request.transport.session_id)
      : undefined;
    if (request.transport?.method !== "websocket" || !session) {
      return error(
        400,
        "Bad Request",
        "websocket transport session does not exist or has already disconnected",
      );
    }
    if (spec.scopes.length > 0 && !spec.scopes.some((scope) => token.scopes.includes(scope))) {
      return error(403, "Forbidden", "subscription missing proper authorization");
    }
    const condition = request.condition ?? {};
    for (const sub of this.#subscriptions.values()) {
      if (
        sub.type === request.type &&
        sub.transport.session_id === session.id &&
        JSON.stringify(sub.condition) === JSON.stringify(condition)
      ) {
        return error(409, "Conflict", "subscription already exists");
      }
    }
    const subscription: FakeSubscription = {
      id: randomUUID(),
      status: "enabled",
      type: request.type!,
      version: spec.version,
      condition,
      created_at: new Date().toISOString(),
      transport: { method: "websocket", session_id: session.id, connected_at: session.connectedAt },
      cost: 0,
    };
    this.#subscriptions.set(subscription.id, subscription);
    this.created.push(subscription);
    return {
      status: 202,
      body: { data: [subscription], total: this.#subscriptions.size, total_cost: 0, max_total_cost: 10 },
    };
  }

  /** `GET /eventsub/subscriptions`. */
  list(): HttpAnswer {
    const data = this.subscriptions;
    return {
      status: 200,
      body: { data, total: data.length, total_cost: 0, max_total_cost: 10, pagination: {} },
    };
  }

  /** `DELETE /eventsub/subscriptions?id=`. */
  delete(id: string | null): HttpAnswer {
    if (!id || !this.#subscriptions.delete(id)) return error(404, "Not Found", "subscription not found");
    return { status: 204, body: null };
  }

  /**
   * Sends a notification with `event` to every subscription of `type`; returns how many got it.
   * Give `messageId` to deliver the same notification again.
   */
  notify(type: string, event: Record<string, unknown>, messageId?: string): number {
    let delivered = 0;
    for (const sub of this.#subscriptions.values()) {
      if (sub.type !== type) continue;
      const session = this.#sessions.get(sub.transport.session_id);
      if (!session) continue;
      this.#send(
        session,
        "notification",
        { subscription: sub, event },
        {
          message_id: messageId ?? randomUUID(),
          subscription_type: sub.type,
          subscription_version: sub.version,
        },
      );
      delivered++;
    }
    return delivered;
  }

  /** Sends `session_reconnect` on every session; the client should move to the given URL. */
  requestReconnect(): void {
    for (const session of this.#sessions.values()) {
      this.#send(session, "session_reconnect", {
        session: {
          id: session.id,
          status: "reconnecting",
          keepalive_timeout_seconds: null,
          reconnect_url: `${this.#baseUrl()}/ws?reconnect=${session.id}`,
          connected_at: session.connectedAt,
        },
      });
    }
  }

  /** Revokes every subscription of `type` with a `revocation` message; returns how many. */
  revoke(type: string, status = "authorization_revoked"): number {
    let revoked = 0;
    for (const sub of [...this.#subscriptions.values()]) {
      if (sub.type !== type) continue;
      this.#subscriptions.delete(sub.id);
      const session = this.#sessions.get(sub.transport.session_id);
      if (session) {
        this.#send(
          session,
          "revocation",
          { subscription: { ...sub, status } },
          {
            subscription_type: sub.type,
            subscription_version: sub.version,
          },
        );
      }
      revoked++;
    }
    return revoked;
  }

  /** Sends a raw text frame on every EventSub socket (malformed input tests). */
  sendRaw(text: string): void {
    for (const session of this.#sessions.values()) session.socket.send(text);
  }

  /** Cuts every EventSub socket without a close frame; their subscriptions end, as on Twitch. */
  drop(): void {
    for (const session of [...this.#sessions.values()]) {
      session.previous?.terminate();
      session.socket.terminate();
      this.#endSession(session);
    }
  }

  close(): void {
    this.drop();
  }

  #endSession(session: EventSubSession): void {
    clearInterval(session.keepalive);
    this.#sessions.delete(session.id);
    for (const [id, sub] of this.#subscriptions)
      if (sub.transport.session_id === session.id) this.#subscriptions.delete(id);
  }

  #send(
    session: EventSubSession,
    type: string,
    payload: Record<string, unknown>,
    metadata: Record<string, string> = {},
  ): void {
    const frame = {
      metadata: {
        message_id: randomUUID(),
        message_type: type,
        message_timestamp: new Date().toISOString(),
        ...metadata,
      },
      payload,
    };
    if (session.socket.readyState !== session.socket.OPEN) return;
    session.socket.send(JSON.stringify(frame));
    this.frames.push({ sessionId: session.id, ...frame });
  }
}

function error(status: number, title: string, message: string): HttpAnswer {
  return { status, body: { error: title, status, message } };
}
