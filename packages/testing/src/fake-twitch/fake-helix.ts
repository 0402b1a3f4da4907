import { Recorder } from "../fake-plugins.ts";
import type { HttpAnswer } from "./fake-eventsub.ts";
import type { FakeState, FakeToken, FakeUser } from "./fake-state.ts";

/** One Helix request the fake answered. */
export interface HelixCall {
  method: string;
  /** Without the `/mock` prefix: `/clips`, `/moderation/bans`. */
  path: string;
  query: Record<string, string>;
  body: unknown;
  /** Whose token made the call; `null` without a valid token. */
  userId: string | null;
  status: number;
}

/** The channel's live stream as Helix reports it, or `null` when offline. */
export interface FakeStream {
  title: string;
  gameName: string;
  viewerCount: number;
  startedAt: string;
}

/** A ban or timeout the bot issued through Helix. */
export interface FakeBan {
  userId: string;
  durationSeconds: number | null;
  reason: string;
}

const RATELIMIT = 800;

/** The Helix API part of the fake Twitch (`https://api.twitch.tv/helix`, `/mock/...` in mock mode). */
export class FakeHelix {
  readonly #state: FakeState;
  #remaining = RATELIMIT;
  #resetAt = 0;
  /** Every Helix request, in order. */
  readonly calls = new Recorder<HelixCall>();
  /** Forced answers by `"METHOD /path"`, e.g. `"POST /clips"`: `{ status: 503, message: "..." }`. */
  readonly failures = new Map<string, { status: number; message: string }>();
  /** The live stream, or null. */
  stream: FakeStream | null = null;
  readonly moderators = new Set<string>();
  readonly vips = new Set<string>();
  /** Users in chat (their ids); chatting adds a user. */
  readonly chatters = new Set<string>();
  readonly bans = new Recorder<FakeBan>();
  readonly announcements = new Recorder<{ message: string; color: string }>();
  readonly shoutouts = new Recorder<string>();
  readonly clips = new Recorder<string>();

  constructor(state: FakeState) {
    this.#state = state;
  }

  /** The `Ratelimit-*` headers of the next answer (twurple's limiter waits on them). */
  rateLimitHeaders(): Record<string, string> {
    const now = Date.now();
    if (now >= this.#resetAt) {
      this.#remaining = RATELIMIT;
      this.#resetAt = now + 60_000;
    }
    this.#remaining = Math.max(0, this.#remaining - 1);
    return {
      "Ratelimit-Limit": String(RATELIMIT),
      "Ratelimit-Remaining": String(this.#remaining),
      "Ratelimit-Reset": String(Math.ceil(this.#resetAt / 1000)),
    };
  }

  /** Answers one Helix request. */
  handle(
    method: string,
    path: string,
    query: Record<string, string>,
    body: unknown,
    token: FakeToken | null,
    clientId: string | null,
  ): {
    answer: HttpAnswer;
    headers: Record<string, string>;
  } {
    const headers = this.rateLimitHeaders();
    const answer = this.#answer(method, path, query, body, token, clientId);
    this.calls.push({ method, path, query, body, userId: token?.userId ?? null, status: answer.status });
    return { answer, headers };
  }

  #answer(
    method: string,
    path: string,
    query: Record<string, string>,
    body: unknown,
    token: FakeToken | null,
    clientId: string | null,
  ): HttpAnswer {
    if (!clientId) return fail(401, "Client-Id header required");
    if (!token) return fail(401, "Invalid OAuth token");
    const forced = this.failures.get(`${method} ${path}`);
    if (forced) return fail(forced.status, forced.message);
    const need = (...scopes: string[]) =>
      scopes.some((s) => token.scopes.includes(s))
        ? null
        : fail(401, `Missing scope: ${scopes.join(" or ")}`);
    const b = this.#state.broadcaster;
    const wrongChannel = (key: string) =>
      query[key] !== undefined && query[key] !== b.id ? fail(400, `unknown ${key} ${query[key]}`) : null;
    switch (`${method} ${path}`) {
      case "GET /users": {
        const logins = query.login ? [query.login] : [];
        const ids = query.id ? [query.id] : [];
        const users = [
          ...logins.map((login) => this.#state.users.get(login.toLowerCase())),
          ...ids.map((id) => this.#state.userById(id)),
        ].filter((u): u is FakeUser => u !== undefined);
        if (logins.length === 0 && ids.length === 0) {
          const self = this.#state.userById(token.userId);
          if (self) users.push(self);
        }
        return ok(users.map(helixUser));
      }
      case "GET /streams": {
        if (
          !this.stream ||
          (query.user_id && query.user_id !== b.id) ||
          (query.user_login && query.user_login !== b.login)
        ) {
          return ok([], { pagination: {} });
        }
        return ok([helixStream(b, this.stream)], { pagination: {} });
      }
      case "POST /clips":
        return (
          need("clips:edit") ??
          wrongChannel("broadcaster_id") ??
          (this.stream
            ? (() => {
                const id = `FakeClip${this.clips.items.length + 1}`;
                this.clips.push(id);
                return {
                  status: 202,
                  body: { data: [{ id, edit_url: `https://clips.twitch.tv/${id}/edit` }] },
                };
              })()
            : fail(404, "The broadcaster is not live"))
        );
      case "GET /chat/chatters": {
        const denied = need("moderator:read:chatters") ?? wrongChannel("broadcaster_id");
        if (denied) return denied;
        const data = [...this.chatters].map((id) => this.#state.userById(id)).filter((u) => u !== undefined);
        return ok(data.map(chatter), { pagination: {}, total: data.length });
      }
      case "GET /moderation/moderators":
        return (
          need("moderation:read", "channel:manage:moderators") ??
          this.#membership(this.moderators, query.user_id)
        );
      case "GET /channels/vips":
        return need("channel:read:vips", "channel:manage:vips") ?? this.#membership(this.vips, query.user_id);
      case "POST /chat/shoutouts": {
        const denied = need("moderator:manage:shoutouts") ?? wrongChannel("from_broadcaster_id");
        if (denied) return denied;
        if (!this.stream) return fail(400, "The broadcaster is not streaming live");
        if (!this.#state.userById(query.to_broadcaster_id ?? ""))
          return fail(400, "The user in to_broadcaster_id does not exist");
        this.shoutouts.push(query.to_broadcaster_id!);
        return { status: 204, body: null };
      }
      case "POST /chat/announcements": {
        const denied = need("moderator:manage:announcements") ?? wrongChannel("broadcaster_id");
        if (denied) return denied;
        const { message, color } = (body ?? {}) as { message?: string; color?: string };
        if (!message) return fail(400, 'Missing required parameter "message"');
        if (message.length > 500) return fail(400, "The message may contain a maximum of 500 characters");
        this.announcements.push({ message, color: color ?? "primary" });
        return { status: 204, body: null };
      }
      case "POST /moderation/bans": {
        const denied = need("moderator:manage:banned_users") ?? wrongChannel("broadcaster_id");
        if (denied) return denied;
        const data = (body as { data?: { user_id?: string; duration?: number; reason?: string } } | null)
          ?.data;
        if (!data?.user_id) return fail(400, 'Missing required parameter "data.user_id"');
        if (!this.#state.userById(data.user_id))
          return fail(400, "The user specified in the user_id field does not exist");
        if (data.user_id === b.id)
          return fail(400, "The user specified in the user_id field may not be banned");
        this.bans.push({
          userId: data.user_id,
          durationSeconds: data.duration ?? null,
          reason: data.reason ?? "",
        });
        const created = new Date();
        return ok([
          {
            broadcaster_id: b.id,
            moderator_id: token.userId,
            user_id: data.user_id,
            created_at: created.toISOString(),
            end_time: data.duration ? new Date(created.getTime() + data.duration * 1000).toISOString() : null,
          },
        ]);
      }
      default:
        return fail(404, `the fake Twitch has no Helix endpoint ${method} ${path}`);
    }
  }

  #membership(set: Set<string>, userId: string | undefined): HttpAnswer {
    const ids = userId ? [userId] : [...set];
    const data = ids
      .filter((id) => set.has(id))
      .map((id) => this.#state.userById(id))
      .filter((u) => u !== undefined)
      .map((u) => ({ user_id: u.id, user_login: u.login, user_name: u.displayName }));
    return ok(data, { pagination: {} });
  }
}

function ok(data: unknown[], extra: Record<string, unknown> = {}): HttpAnswer {
  return { status: 200, body: { data, ...extra } };
}

function fail(status: number, message: string): HttpAnswer {
  const titles: Record<number, string> = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    429: "Too Many Requests",
  };
  return { status, body: { error: titles[status] ?? "Internal Server Error", status, message } };
}

function helixUser(user: FakeUser) {
  return {
    id: user.id,
    login: user.login,
    display_name: user.displayName,
    type: "",
    broadcaster_type: "",
    description: `${user.displayName} on the fake Twitch`,
    profile_image_url: `https://static-cdn.jtvnw.net/jtv_user_pictures/${user.login}-profile_image-300x300.png`,
    offline_image_url: "",
    view_count: 0,
    created_at: "2016-12-14T20:32:28Z",
  };
}

function helixStream(user: FakeUser, stream: FakeStream) {
  return {
    id: "40952121085",
    user_id: user.id,
    user_login: user.login,
    user_name: user.displayName,
    game_id: "509658",
    game_name: stream.gameName,
    type: "live",
    title: stream.title,
    tags: ["English"],
    viewer_count: stream.viewerCount,
    started_at: stream.startedAt,
    language: "en",
    thumbnail_url: `https://static-cdn.jtvnw.net/previews-ttv/live_user_${user.login}-{width}x{height}.jpg`,
    tag_ids: [],
    is_mature: false,
  };
}

function chatter(user: FakeUser) {
  return { user_id: user.id, user_login: user.login, user_name: user.displayName };
}
