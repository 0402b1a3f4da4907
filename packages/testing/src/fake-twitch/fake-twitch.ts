import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer } from "ws";
import { eventSubEvent, type FakeEventSubType } from "./eventsub-payloads.ts";
import { FakeAuth } from "./fake-auth.ts";
import type { BotChatMessage, FakeChatOptions } from "./fake-chat-lines.ts";
import { FakeEventSub, type HttpAnswer } from "./fake-eventsub.ts";
import { FakeHelix, type FakeStream } from "./fake-helix.ts";
import { FakeIrc } from "./fake-irc.ts";
import { FakeState, type FakeToken, type FakeUser } from "./fake-state.ts";

/** How to start a fake Twitch. */
export interface FakeTwitchOptions {
  /** The broadcaster's login, i.e. the channel (default `streamer`). */
  channel?: string;
  /** The broadcaster's user id (default `"1"`). */
  broadcasterId?: string;
  /**
   * Accept any unknown access token as the broadcaster's, with every scope (default true: mock
   * mode needs no real tokens). Turn off to test logins, refreshes and revoked tokens.
   */
  acceptAnyToken?: boolean;
  /** EventSub `keepalive_timeout_seconds` (default 10). */
  keepaliveSeconds?: number;
  /** The `interval` a device login tells the client to poll at, in seconds (default 1). */
  deviceIntervalSeconds?: number;
  /** Port to listen on (default: any free port). */
  port?: number;
}

/** Options of {@link FakeTwitchServer.fire}. */
export interface FireOptions {
  /** Who follows, subs, cheers or raids (default `viewer`). */
  user?: string;
  /** The notification's `message_id`; repeat one to deliver the same notification twice. */
  messageId?: string;
}

/**
 * A fake Twitch on 127.0.0.1 for tests and offline rehearsal: one HTTP server speaking
 * IRC-over-WebSocket chat, EventSub over WebSocket at `/ws`, Helix under `/mock/...`, EventSub
 * subscriptions at `/eventsub/subscriptions` and OAuth under `/auth/...`, the layout of the Twitch
 * CLI's mock server. Point the bot at it with `TWITCH_MOCK_PORT=<port>`.
 * @example
 * const twitch = await createFakeTwitch({ channel: "streamer" });
 * // start the bot with TWITCH_MOCK_PORT=twitch.port, then:
 * await twitch.waitForChatJoin();
 * twitch.chat("!greet", { user: "ada" });
 * await twitch.waitForBotMessage(/Hello Ada/);
 * await twitch.waitForSubscriptions(["channel.follow"]);
 * twitch.fire("channel.follow", {}, { user: "bo" });
 * await twitch.close();
 */
export class FakeTwitchServer {
  readonly state: FakeState;
  readonly irc: FakeIrc;
  readonly eventSub: FakeEventSub;
  readonly helix: FakeHelix;
  readonly auth: FakeAuth;
  readonly #server = createServer((req, res) => this.#http(req, res));
  readonly #wss = new WebSocketServer({ noServer: true });
  #port = 0;

  constructor(options: FakeTwitchOptions = {}) {
    const login = (options.channel ?? "streamer").toLowerCase();
    const broadcaster: FakeUser = {
      id: options.broadcasterId ?? "1",
      login,
      displayName: login.charAt(0).toUpperCase() + login.slice(1),
    };
    this.state = new FakeState(broadcaster, options.acceptAnyToken ?? true);
    this.irc = new FakeIrc(this.state);
    this.eventSub = new FakeEventSub({
      keepaliveSeconds: options.keepaliveSeconds ?? 10,
      baseUrl: () => this.wsUrl,
    });
    this.helix = new FakeHelix(this.state);
    this.auth = new FakeAuth(this.state, options.deviceIntervalSeconds ?? 1);
    this.#server.on("upgrade", (req, socket, head) => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      this.#wss.handleUpgrade(req, socket, head, (ws) => {
        if (url.pathname === "/ws") this.eventSub.accept(ws, url);
        else this.irc.accept(ws);
      });
    });
  }

  /** Starts listening on 127.0.0.1. */
  async listen(port = 0): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once("error", reject);
      this.#server.listen(port, "127.0.0.1", () => resolve());
    });
    this.#port = (this.#server.address() as AddressInfo).port;
    return this;
  }

  get port(): number {
    return this.#port;
  }

  /** `http://127.0.0.1:<port>`. */
  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  /** `ws://127.0.0.1:<port>`. */
  get wsUrl(): string {
    return `ws://127.0.0.1:${this.#port}`;
  }

  /** The environment that points a StarStreamer bot at this fake. */
  get env(): { TWITCH_MOCK_PORT: string; TWITCH_CHANNEL: string } {
    return { TWITCH_MOCK_PORT: String(this.#port), TWITCH_CHANNEL: this.broadcaster.login };
  }

  get broadcaster(): FakeUser {
    return this.state.broadcaster;
  }

  /** Chat messages the bot sent, in order. */
  get botMessages(): BotChatMessage[] {
    return this.irc.sent.items;
  }

  /** A user the fake knows (created on first use), optionally a moderator or VIP of the channel. */
  user(login: string, roles: { moderator?: boolean; vip?: boolean } = {}): FakeUser {
    const user = this.state.user(login);
    if (roles.moderator) this.helix.moderators.add(user.id);
    if (roles.vip) this.helix.vips.add(user.id);
    return user;
  }

  /** Mints tokens for a user (default every scope). */
  issueToken(
    login: string,
    options: { scopes?: string[]; expiresInSeconds?: number | null } = {},
  ): FakeToken {
    return this.state.mintToken(
      login === this.broadcaster.login ? this.broadcaster : this.state.user(login),
      options,
    );
  }

  /** Says a line in chat as a user; returns the message id. The user becomes a chatter. */
  chat(text: string, options: FakeChatOptions = {}): string {
    this.helix.chatters.add(this.state.user(options.user ?? "viewer").id);
    return this.irc.chat(text, options);
  }

  /**
   * Fires an EventSub notification of `type` with the payload Twitch documents, `overrides` merged
   * into its `event`. Throws when the bot has not subscribed to `type` (wait with
   * {@link waitForSubscriptions} first). Returns the message id and the event sent.
   */
  fire(
    type: FakeEventSubType,
    overrides: Record<string, unknown> = {},
    options: FireOptions = {},
  ): { messageId: string; event: Record<string, unknown> } {
    const event = eventSubEvent(type, this.broadcaster, this.state.user(options.user ?? "viewer"), overrides);
    const messageId = options.messageId ?? randomUUID();
    const delivered = this.eventSub.notify(type, event, messageId);
    if (delivered === 0) {
      const active = this.eventSub.subscriptions.map((s) => s.type).join(", ") || "none";
      throw new Error(`nobody is subscribed to ${type} on the fake Twitch (subscriptions: ${active})`);
    }
    return { messageId, event };
  }

  /** Resolves once every type in `types` has an enabled subscription. */
  async waitForSubscriptions(types: readonly string[], timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (const type of types) {
      const has = () => this.eventSub.subscriptions.some((s) => s.type === type);
      while (!has()) {
        if (Date.now() > deadline) {
          const active = this.eventSub.subscriptions.map((s) => s.type).join(", ") || "none";
          throw new Error(`timed out waiting for an EventSub subscription to ${type} (have: ${active})`);
        }
        const since = this.eventSub.created.items.length;
        await this.eventSub.created
          .waitFor((s) => s.type === type, Math.max(1, deadline - Date.now()), type, since)
          .catch(() => {});
      }
    }
  }

  /** Resolves once the bot joined the channel (the `n`th join, counting rejoins after reconnects). */
  async waitForChatJoin(options: { count?: number; timeoutMs?: number } = {}): Promise<void> {
    const count = options.count ?? 1;
    const channel = `#${this.broadcaster.login}`;
    await this.irc.joins.waitFor(
      () => this.irc.joins.items.filter((j) => j.endsWith(channel)).length >= count,
      options.timeoutMs ?? 10_000,
      `join number ${count} of ${channel}`,
    );
  }

  /** Waits for the bot to send a chat message matching `match`. */
  waitForBotMessage(
    match: string | RegExp | ((message: BotChatMessage) => boolean),
    options: { timeoutMs?: number; since?: number } = {},
  ): Promise<BotChatMessage> {
    const test =
      typeof match === "string"
        ? (m: BotChatMessage) => m.text === match
        : match instanceof RegExp
          ? (m: BotChatMessage) => match.test(m.text)
          : match;
    return this.irc.sent.waitFor(
      test,
      options.timeoutMs ?? 10_000,
      `a bot message matching ${String(match)}`,
      options.since,
    );
  }

  /** Cuts the chat connections (the bot should reconnect and rejoin). */
  dropChat(): void {
    this.irc.drop();
  }

  /** Cuts the EventSub sockets; their subscriptions end, as on Twitch. */
  dropEventSub(): void {
    this.eventSub.drop();
  }

  /** Puts the channel live (Helix `GET /streams` returns it; clips and shoutouts work). */
  goLive(stream: Partial<FakeStream> = {}): void {
    this.helix.stream = {
      title: "Fake stream",
      gameName: "Just Chatting",
      viewerCount: 42,
      startedAt: new Date().toISOString(),
      ...stream,
    };
  }

  goOffline(): void {
    this.helix.stream = null;
  }

  async close(): Promise<void> {
    this.eventSub.close();
    this.irc.drop();
    for (const client of this.#wss.clients) client.terminate();
    this.#wss.close();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #http(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const method = req.method ?? "GET";
    let raw = "";
    for await (const chunk of req) raw += chunk;
    let body: unknown = null;
    const type = req.headers["content-type"] ?? "";
    const query = Object.fromEntries(url.searchParams);
    let answer: HttpAnswer;
    let headers: Record<string, string> = {};
    try {
      if (raw !== "" && type.includes("application/json")) body = JSON.parse(raw);
      const form =
        raw !== "" && type.includes("application/x-www-form-urlencoded")
          ? Object.fromEntries(new URLSearchParams(raw))
          : {};
      const token = this.state.lookup(req.headers.authorization);
      const clientId = (req.headers["client-id"] as string | undefined) ?? null;
      if (url.pathname === "/eventsub/subscriptions") {
        headers = this.helix.rateLimitHeaders();
        answer =
          method === "POST"
            ? this.eventSub.create(body, token)
            : method === "DELETE"
              ? this.eventSub.delete(url.searchParams.get("id"))
              : this.eventSub.list();
      } else if (url.pathname.startsWith("/mock/")) {
        ({ answer, headers } = this.helix.handle(
          method,
          url.pathname.slice(5),
          query,
          body,
          token,
          clientId,
        ));
      } else if (url.pathname.startsWith("/auth/")) {
        answer = this.auth.handle(
          method,
          url.pathname.slice(5),
          { ...query, ...form },
          req.headers.authorization ?? null,
        );
      } else {
        answer = {
          status: 404,
          body: { error: "Not Found", status: 404, message: `no route ${method} ${url.pathname}` },
        };
      }
    } catch (error) {
      answer = {
        status: 400,
        body: { error: "Bad Request", status: 400, message: (error as Error).message },
      };
    }
    res.writeHead(answer.status, {
      ...headers,
      ...(answer.body === null ? {} : { "Content-Type": "application/json" }),
    });
    res.end(answer.body === null ? undefined : JSON.stringify(answer.body));
  }
}

/** Starts a {@link FakeTwitchServer} on 127.0.0.1 and resolves once it listens. */
export async function createFakeTwitch(options: FakeTwitchOptions = {}): Promise<FakeTwitchServer> {
  return new FakeTwitchServer(options).listen(options.port);
}
