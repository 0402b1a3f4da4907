import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { SdkErrorCodes, StarStreamerError } from "../errors.ts";
import type { ChatUser, TwitchUser, UserLevel } from "./event.ts";
import type { BuiltInEventMap, builtInEventSchemas, EventData, EventType } from "./event-map.ts";
import { isBuiltInEventType, parseEventData } from "./validate.ts";

/** The viewer simulated events come from unless overridden. */
export const SIMULATED_VIEWER: Readonly<TwitchUser> = Object.freeze({
  id: "1000",
  login: "viewer",
  displayName: "Viewer",
});

/** The channel owner in simulated events. */
export const SIMULATED_BROADCASTER: Readonly<TwitchUser> = Object.freeze({
  id: "1",
  login: "streamer",
  displayName: "Streamer",
});

type DefaultsTable = {
  [K in keyof BuiltInEventMap]: () => z.input<(typeof builtInEventSchemas)[K]>;
};

const MINUTE = 60_000;

const iso = (offsetMs = 0): string => new Date(Date.now() + offsetMs).toISOString();
const viewer = (): TwitchUser => ({ ...SIMULATED_VIEWER });
const broadcaster = (): TwitchUser => ({ ...SIMULATED_BROADCASTER });
const topContributions = () => [{ user: viewer(), type: "bits" as const, total: 100 }];

// Functions, so every call gets fresh ids, timestamps and objects the caller may mutate.
const DEFAULTS: DefaultsTable = {
  "twitch.chat.message": () => ({
    messageId: randomUUID(),
    channel: SIMULATED_BROADCASTER.login,
    text: "hello",
    user: {
      ...viewer(),
      badges: {},
      isBroadcaster: false,
      isModerator: false,
      isVip: false,
      isSubscriber: false,
    },
    isAction: false,
    firstMessage: false,
  }),
  "twitch.follow": () => ({ user: viewer(), followedAt: iso() }),
  "twitch.subscription": () => ({ user: viewer(), tier: "1000", isGift: false }),
  "twitch.subscription.gift": () => ({
    user: viewer(),
    isAnonymous: false,
    tier: "1000",
    total: 1,
    cumulativeTotal: 1,
  }),
  "twitch.raid": () => ({ from: viewer(), viewers: 42 }),
  "twitch.cheer": () => ({ user: viewer(), isAnonymous: false, bits: 100, message: "Cheer100 hello" }),
  "twitch.hype_train.begin": () => ({
    id: randomUUID(),
    level: 1,
    total: 100,
    progress: 100,
    goal: 500,
    topContributions: topContributions(),
    startedAt: iso(),
    expiresAt: iso(5 * MINUTE),
  }),
  "twitch.hype_train.progress": () => ({
    id: randomUUID(),
    level: 1,
    total: 300,
    progress: 300,
    goal: 500,
    topContributions: topContributions(),
    startedAt: iso(-MINUTE),
    expiresAt: iso(4 * MINUTE),
  }),
  "twitch.hype_train.end": () => ({
    id: randomUUID(),
    level: 1,
    total: 300,
    topContributions: topContributions(),
    startedAt: iso(-5 * MINUTE),
    endedAt: iso(),
    cooldownEndsAt: iso(60 * MINUTE),
  }),
  "twitch.redemption": () => ({
    id: randomUUID(),
    user: viewer(),
    reward: { id: "simulated-reward", title: "Hydrate!", cost: 100, prompt: "" },
    input: "",
    status: "unfulfilled",
    redeemedAt: iso(),
  }),
  "twitch.stream.online": () => ({ broadcaster: broadcaster(), type: "live", startedAt: iso() }),
  "twitch.stream.offline": () => ({ broadcaster: broadcaster() }),
  "twitch.resubscription": () => ({
    user: viewer(),
    tier: "1000",
    months: 12,
    streakMonths: 3,
    durationMonths: 1,
    message: "a year already!",
  }),
  "twitch.chat.message_deleted": () => ({
    channel: SIMULATED_BROADCASTER.login,
    messageId: randomUUID(),
    userLogin: SIMULATED_VIEWER.login,
    text: "oops",
  }),
  "twitch.chat.user_timed_out": () => ({
    channel: SIMULATED_BROADCASTER.login,
    userId: SIMULATED_VIEWER.id,
    userLogin: SIMULATED_VIEWER.login,
    durationSeconds: 600,
  }),
  "twitch.chat.user_banned": () => ({
    channel: SIMULATED_BROADCASTER.login,
    userId: SIMULATED_VIEWER.id,
    userLogin: SIMULATED_VIEWER.login,
  }),
  "twitch.connection.connected": () => ({ connection: "chat", state: "connected" }),
  "twitch.connection.disconnected": () => ({
    connection: "chat",
    state: "disconnected",
    reason: "simulated",
  }),
  "twitch.connection.reconnecting": () => ({ connection: "chat", state: "reconnecting" }),
  "obs.scene.changed": () => ({ sceneName: "Main", previousSceneName: "Starting Soon" }),
  "obs.stream.started": () => ({ outputState: "OBS_WEBSOCKET_OUTPUT_STARTED" }),
  "obs.stream.stopped": () => ({ outputState: "OBS_WEBSOCKET_OUTPUT_STOPPED" }),
  "obs.recording.started": () => ({ outputState: "OBS_WEBSOCKET_OUTPUT_STARTED" }),
  "obs.recording.stopped": () => ({
    outputState: "OBS_WEBSOCKET_OUTPUT_STOPPED",
    outputPath: "/home/streamer/Videos/recording.mkv",
  }),
  "obs.input.mute_changed": () => ({ inputName: "Mic/Aux", muted: true }),
  "obs.connection.connected": () => ({ obsWebSocketVersion: "5.5.2", rpcVersion: 1 }),
  "obs.connection.disconnected": () => ({ reason: "connection closed", code: 1006, retryInMs: 1000 }),
  "system.handler.error": () => ({
    module: "example",
    handler: "onChat",
    eventId: randomUUID(),
    eventType: "twitch.chat.message",
    error: { message: "Simulated handler error" },
  }),
  "system.module.state": () => ({ module: "example", state: "enabled", version: "0.1.0" }),
};

/**
 * Data for a simulated event: sensible defaults for `type` deep-merged with `overrides` (plain
 * objects merge key by key; arrays, scalars and `null` replace), then validated like real data.
 * Custom types start from `{}`. Powers `/simulate <event-type> [json]`.
 * @throws StarStreamerError `SS_EVENT_INVALID` when an override breaks the schema or is not an
 *   object; `SS_EVENT_UNKNOWN_TYPE` for an unknown type.
 * @example
 * simulatedEventData("twitch.raid", { viewers: 500, from: { displayName: "BigRaider" } });
 */
export function simulatedEventData<T extends EventType>(type: T, overrides?: unknown): EventData<T>;
export function simulatedEventData(type: string, overrides?: unknown): unknown;
export function simulatedEventData(type: string, overrides?: unknown): unknown {
  const base: unknown = isBuiltInEventType(type) ? DEFAULTS[type]() : {};
  if (overrides !== undefined && !isPlainObject(overrides)) {
    // Let an unknown type report itself first: it is the more useful message.
    parseEventData(type, base);
    throw new StarStreamerError(
      SdkErrorCodes.EVENT_INVALID,
      `${type}: overrides must be a JSON object of fields to change, got ${overrides === null ? "null" : Array.isArray(overrides) ? "an array" : typeof overrides}`,
      { data: { type, issues: [{ path: [], message: "overrides must be a JSON object" }] } },
    );
  }
  return parseEventData(type, overrides === undefined ? base : deepMerge(base, overrides));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object") return false;
  const proto = Object.getPrototypeOf(value);
  return proto === null || proto === Object.prototype;
}

function deepMerge(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) return override;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    // defineProperty, so a JSON `"__proto__"` key stays an ordinary (and then rejected) field.
    Object.defineProperty(out, key, {
      value: deepMerge(Object.hasOwn(out, key) ? out[key] : undefined, value),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

type LevelFlag = "isSubscriber" | "isVip" | "isModerator" | "isBroadcaster";

const LEVEL_FLAGS: Record<UserLevel, { badge?: string; flag?: LevelFlag }> = {
  viewer: {},
  subscriber: { badge: "subscriber", flag: "isSubscriber" },
  vip: { badge: "vip", flag: "isVip" },
  moderator: { badge: "moderator", flag: "isModerator" },
  broadcaster: { badge: "broadcaster", flag: "isBroadcaster" },
};

/**
 * A chat user for a local (offline) viewer at `level`, with the badge and flag Twitch would show.
 * `login` is lower-cased (a leading `@` is dropped); `displayName` keeps what was typed, first letter
 * upper-cased; `id` is a stable number derived from the login, so the same name is the same user.
 * @example
 * localChatUser("Alice", "moderator"); // { login: "alice", displayName: "Alice", isModerator: true, … }
 */
export function localChatUser(login: string, level: UserLevel): ChatUser {
  const typed = login.trim().replace(/^@/, "");
  const normalized = typed.toLowerCase();
  if (!/^[a-z0-9_]+$/.test(normalized)) {
    throw new StarStreamerError(
      SdkErrorCodes.EVENT_INVALID,
      `local chat user ${JSON.stringify(login)}: a login is letters, digits and _ only`,
      { data: { login } },
    );
  }
  const spec = LEVEL_FLAGS[level];
  if (!spec) {
    throw new StarStreamerError(
      SdkErrorCodes.EVENT_INVALID,
      `local chat user: unknown level ${String(level)}`,
      {
        data: { login, level, accepted: Object.keys(LEVEL_FLAGS) },
      },
    );
  }
  const user: ChatUser = {
    id: stableNumericId(normalized),
    login: normalized,
    displayName: typed.charAt(0).toUpperCase() + typed.slice(1),
    badges: spec.badge ? { [spec.badge]: "1" } : {},
    isBroadcaster: false,
    isModerator: false,
    isVip: false,
    isSubscriber: false,
  };
  if (spec.flag) user[spec.flag] = true;
  return user;
}

/** FNV-1a, offset past the simulated ids so a local user never collides with them. */
function stableNumericId(login: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < login.length; i++) {
    hash ^= login.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return String(100_000 + hash);
}
