import { z } from "zod";
import { CONNECTION_STATES } from "../plugins/host-plugin.ts";
import type { ChatUser, TwitchUser } from "./event.ts";

// Domain events, not wire payloads: the Twitch and OBS plugins map their raw payloads onto these
// shapes. Objects are strict so that a typo in a `/simulate` override or a plugin's mapping is
// reported instead of silently dropped.

/** Subscription tiers as Twitch names them (`"1000"` is tier 1, Prime included). */
export const SUBSCRIPTION_TIERS = ["1000", "2000", "3000"] as const;

/** States a module goes through in the host, as reported by `system.module.state`. */
export const MODULE_STATES = [
  "discovered",
  "loading",
  "enabled",
  "disabled",
  "failed",
  "unloaded",
  "restarting",
] as const;

/** A non-empty string: ids and names where an empty value means nothing. */
export const nonEmptyStringSchema = z.string().min(1);

/** A Twitch login: lower-case letters, digits and `_`, without `#` or `@`. */
export const twitchLoginSchema = z
  .string()
  .regex(/^[a-z0-9_]+$/, "expected a lower-case Twitch login (a-z, 0-9, _; no '#' or '@')");

/** An ISO 8601 date-time string; `Z` or a numeric offset, any sub-second precision. */
export const isoDateTimeSchema = z.iso.datetime({ offset: true });

/** A subscription tier: `"1000"`, `"2000"` or `"3000"`. */
export const subscriptionTierSchema = z.enum(SUBSCRIPTION_TIERS);

/** A user as Twitch identifies them outside chat; matches {@link TwitchUser}. */
export const twitchUserSchema = z.strictObject({
  id: nonEmptyStringSchema,
  login: twitchLoginSchema,
  displayName: nonEmptyStringSchema,
});

/** A chat author with the flags their badges imply; matches {@link ChatUser}. */
export const chatUserSchema = z.strictObject({
  ...twitchUserSchema.shape,
  color: z
    .string()
    .regex(/^#[0-9a-f]{6}$/i, "expected a hex colour like #1E90FF")
    .optional(),
  badges: z.record(z.string(), z.string()),
  isBroadcaster: z.boolean(),
  isModerator: z.boolean(),
  isVip: z.boolean(),
  isSubscriber: z.boolean(),
});

// Compile-time guard: the schemas and the interfaces in event.ts must describe the same type in both
// directions, so neither can change without the other.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
true satisfies Same<z.output<typeof twitchUserSchema>, TwitchUser>;
true satisfies Same<z.output<typeof chatUserSchema>, ChatUser>;

/** Twitch refuses chat messages longer than this many characters (code points). */
export const CHAT_MESSAGE_MAX_CHARS = 500;

/** The text of a chat message: at most 500 characters, as Twitch allows. */
export const chatTextSchema = z
  .string()
  .refine(
    (text) => text.length <= CHAT_MESSAGE_MAX_CHARS || [...text].length <= CHAT_MESSAGE_MAX_CHARS,
    `a Twitch chat message is at most ${CHAT_MESSAGE_MAX_CHARS} characters`,
  );

/** `twitch.chat.message`: a message in a channel's chat. */
export const chatMessageSchema = z.strictObject({
  messageId: nonEmptyStringSchema,
  /** The channel's login, without `#`. */
  channel: twitchLoginSchema,
  text: chatTextSchema,
  user: chatUserSchema,
  /** Bits cheered with the message, when any. */
  bits: z.int().min(0).optional(),
  /** Sent with `/me`. */
  isAction: z.boolean().default(false),
  /** The user's first message ever in this channel. */
  firstMessage: z.boolean().default(false),
  /** Emotes in `text`: the emote id and the code-point range it covers (inclusive). */
  emotes: z
    .array(z.strictObject({ id: nonEmptyStringSchema, start: z.int().min(0), end: z.int().min(0) }))
    .optional(),
  /** The message this one replies to. */
  replyTo: z
    .strictObject({
      messageId: nonEmptyStringSchema,
      user: twitchUserSchema,
      text: z.string(),
    })
    .optional(),
});

/** `twitch.follow`: someone followed the channel. */
export const followSchema = z.strictObject({
  user: twitchUserSchema,
  followedAt: isoDateTimeSchema,
});

/** `twitch.subscription`: a new subscription, a resub or a gifted sub's recipient. */
export const subscriptionSchema = z.strictObject({
  user: twitchUserSchema,
  tier: subscriptionTierSchema,
  isGift: z.boolean(),
  /** Cumulative months, for resubs. */
  months: z.int().min(1).optional(),
  /** Consecutive months, when the user shares it. */
  streakMonths: z.int().min(1).optional(),
  /** The resub message, when there is one. */
  message: z.string().optional(),
});

/** `twitch.subscription.gift`: someone gifted one or more subs. */
export const subscriptionGiftSchema = z
  .strictObject({
    /** The gifter; `null` when anonymous. */
    user: twitchUserSchema.nullable(),
    isAnonymous: z.boolean(),
    tier: subscriptionTierSchema,
    /** Subs gifted in this event. */
    total: z.int().min(1),
    /** Subs this user has gifted in the channel overall, when Twitch shares it. */
    cumulativeTotal: z.int().min(0).optional(),
  })
  .refine((gift) => gift.user !== null || gift.isAnonymous, {
    path: ["isAnonymous"],
    message: "expected true when user is null (an anonymous gift)",
  });

/** `twitch.raid`: another channel raided this one. */
export const raidSchema = z.strictObject({
  from: twitchUserSchema,
  viewers: z.int().min(0),
});

/** `twitch.cheer`: someone cheered bits. */
export const cheerSchema = z
  .strictObject({
    /** The cheerer; `null` when anonymous. */
    user: twitchUserSchema.nullable(),
    isAnonymous: z.boolean(),
    bits: z.int().min(1),
    message: z.string(),
  })
  .refine((cheer) => cheer.user !== null || cheer.isAnonymous, {
    path: ["isAnonymous"],
    message: "expected true when user is null (an anonymous cheer)",
  });

/** One of the top contributions to a hype train. */
export const hypeTrainContributionSchema = z.strictObject({
  user: twitchUserSchema,
  type: z.enum(["bits", "subscription", "other"]),
  total: z.int().min(0),
});

/** `twitch.hype_train.begin` and `twitch.hype_train.progress`: a hype train running. */
export const hypeTrainSchema = z.strictObject({
  id: nonEmptyStringSchema,
  level: z.int().min(1),
  /** Points contributed over the whole train. */
  total: z.int().min(0),
  /** Points towards the current level. */
  progress: z.int().min(0),
  /** Points needed to reach the next level. */
  goal: z.int().min(0),
  topContributions: z.array(hypeTrainContributionSchema),
  startedAt: isoDateTimeSchema,
  expiresAt: isoDateTimeSchema,
});

/** `twitch.hype_train.end`: a hype train finished. */
export const hypeTrainEndSchema = z.strictObject({
  id: nonEmptyStringSchema,
  level: z.int().min(1),
  total: z.int().min(0),
  topContributions: z.array(hypeTrainContributionSchema),
  startedAt: isoDateTimeSchema,
  endedAt: isoDateTimeSchema,
  cooldownEndsAt: isoDateTimeSchema,
});

/** `twitch.redemption`: a viewer redeemed a channel-points reward. */
export const redemptionSchema = z.strictObject({
  id: nonEmptyStringSchema,
  user: twitchUserSchema,
  reward: z.strictObject({
    id: nonEmptyStringSchema,
    title: nonEmptyStringSchema,
    cost: z.int().min(0),
    prompt: z.string(),
  }),
  /** What the viewer typed; empty when the reward takes no input. */
  input: z.string(),
  status: z.enum(["unfulfilled", "fulfilled", "canceled", "unknown"]),
  redeemedAt: isoDateTimeSchema,
});

/** `twitch.stream.online`: the channel went live. */
export const streamOnlineSchema = z.strictObject({
  broadcaster: twitchUserSchema,
  type: z.enum(["live", "playlist", "watch_party", "premiere", "rerun"]),
  startedAt: isoDateTimeSchema,
});

/** `twitch.stream.offline`: the channel went offline. */
export const streamOfflineSchema = z.strictObject({
  broadcaster: twitchUserSchema,
});

/** `twitch.resubscription`: a subscriber shared their resub in chat (EventSub `channel.subscription.message`). */
export const resubscriptionSchema = z.strictObject({
  user: twitchUserSchema,
  tier: subscriptionTierSchema,
  /** Cumulative months subscribed. */
  months: z.int().min(1),
  /** Consecutive months, when the user shares it. */
  streakMonths: z.int().min(1).optional(),
  /** Months in the subscription just bought (multi-month subs). */
  durationMonths: z.int().min(1),
  /** The resub message; empty when there is none. */
  message: z.string(),
});

/** `twitch.chat.message_deleted`: a moderator deleted one chat message. */
export const chatMessageDeletedSchema = z.strictObject({
  channel: twitchLoginSchema,
  messageId: nonEmptyStringSchema,
  /** Login of the message's author. */
  userLogin: twitchLoginSchema,
  text: z.string(),
});

/** `twitch.chat.user_timed_out`: a user was timed out in chat. */
export const chatUserTimedOutSchema = z.strictObject({
  channel: twitchLoginSchema,
  userId: nonEmptyStringSchema,
  userLogin: twitchLoginSchema,
  durationSeconds: z.int().min(1),
});

/** `twitch.chat.user_banned`: a user was banned from chat. */
export const chatUserBannedSchema = z.strictObject({
  channel: twitchLoginSchema,
  userId: nonEmptyStringSchema,
  userLogin: twitchLoginSchema,
});

/**
 * `twitch.connection.connected`, `.disconnected` and `.reconnecting`: a Twitch connection (chat or
 * EventSub) changed state. Published by the host's Twitch plugin; never carries a secret.
 */
export const twitchConnectionSchema = z.strictObject({
  connection: z.enum(["chat", "eventsub"]),
  state: z.enum(CONNECTION_STATES),
  /** Why, when it is not connected. */
  reason: z.string().optional(),
});

/** `obs.scene.changed`: OBS switched its program scene. */
export const obsSceneChangedSchema = z.strictObject({
  sceneName: nonEmptyStringSchema,
  previousSceneName: nonEmptyStringSchema.optional(),
});

/** `obs.stream.started` and `obs.stream.stopped`: OBS's stream output changed state. */
export const obsStreamSchema = z.strictObject({
  /** The obs-websocket output state, e.g. `OBS_WEBSOCKET_OUTPUT_STARTED`. */
  outputState: nonEmptyStringSchema,
});

/** `obs.recording.started` and `obs.recording.stopped`: OBS's record output changed state. */
export const obsRecordingSchema = z.strictObject({
  /** The obs-websocket output state, e.g. `OBS_WEBSOCKET_OUTPUT_STOPPED`. */
  outputState: nonEmptyStringSchema,
  /** The file written, when OBS says (on stop). */
  outputPath: z.string().optional(),
});

/** `obs.input.mute_changed`: an audio input was muted or unmuted. */
export const obsInputMuteChangedSchema = z.strictObject({
  inputName: nonEmptyStringSchema,
  muted: z.boolean(),
});

/** `obs.connection.connected`: the OBS plugin connected and identified to obs-websocket. */
export const obsConnectedSchema = z.strictObject({
  /** The obs-websocket version OBS reported, e.g. `5.5.2`. */
  obsWebSocketVersion: z.string(),
  /** The negotiated RPC version (1 for obs-websocket 5). */
  rpcVersion: z.int().min(1),
});

/** `obs.connection.disconnected`: the OBS plugin lost (or could not open) its connection. */
export const obsDisconnectedSchema = z.strictObject({
  /** Why, for humans: the close reason, or the connection error. */
  reason: z.string(),
  /** The WebSocket close code, or obs-websocket's (4009: authentication failed); -1 when none. */
  code: z.int(),
  /** When the plugin tries again, in ms; absent when it will not (stopped). */
  retryInMs: z.int().min(0).optional(),
});

/** `system.handler.error`: a module's handler threw; emitted by the host. */
export const handlerErrorSchema = z.strictObject({
  module: nonEmptyStringSchema,
  handler: nonEmptyStringSchema,
  eventId: nonEmptyStringSchema,
  eventType: nonEmptyStringSchema,
  error: z.strictObject({
    /** The `StarStreamerError` code, when the error had one. */
    code: z.string().optional(),
    message: z.string(),
    stack: z.string().optional(),
  }),
});

/** `system.module.state`: a module moved to a new state in the host. */
export const moduleStateSchema = z.strictObject({
  module: nonEmptyStringSchema,
  state: z.enum(MODULE_STATES),
  version: z.string().optional(),
  /** Why, for `failed`, `disabled` and `restarting`. */
  reason: z.string().optional(),
});
