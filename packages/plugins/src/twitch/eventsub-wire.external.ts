import { z } from "zod";

// EventSub as it arrives on the wire (snake_case, as Twitch documents it at
// https://dev.twitch.tv/docs/eventsub/). Only this folder sees these shapes; the rest of the code
// sees the camelCase domain events. Objects are loose: Twitch adds fields over time.

const id = z.string().min(1);
const login = z.string().min(1);

/** A user as EventSub names one: `<prefix>_id`, `<prefix>_login`, `<prefix>_name`. */
function user<P extends string>(prefix: P) {
  return z.object({
    [`${prefix}_id`]: id,
    [`${prefix}_login`]: login,
    [`${prefix}_name`]: z.string(),
  }) as z.ZodObject<Record<`${P}_id` | `${P}_login` | `${P}_name`, z.ZodString>>;
}

/** The same user fields, null for anonymous events. */
function maybeUser<P extends string>(prefix: P) {
  return z.object({
    [`${prefix}_id`]: id.nullable(),
    [`${prefix}_login`]: login.nullable(),
    [`${prefix}_name`]: z.string().nullable(),
  }) as z.ZodObject<Record<`${P}_id` | `${P}_login` | `${P}_name`, z.ZodNullable<z.ZodString>>>;
}

const tier = z.enum(["1000", "2000", "3000"]);
const contribution = user("user").extend({ type: z.string(), total: z.number().int() });

/** One frame of the EventSub WebSocket: metadata plus a payload that depends on the type. */
export const eventSubFrameSchema = z.discriminatedUnion("message_type", [
  z.object({
    message_type: z.literal("session_welcome"),
    payload: z.object({ session: z.object({ id, keepalive_timeout_seconds: z.number().nullable() }) }),
  }),
  z.object({ message_type: z.literal("session_keepalive"), payload: z.object({}) }),
  z.object({
    message_type: z.literal("session_reconnect"),
    payload: z.object({ session: z.object({ id, reconnect_url: z.string().regex(/^wss?:\/\//) }) }),
  }),
  z.object({
    message_type: z.literal("notification"),
    payload: z.union([
      z.object({
        subscription: z.object({ id, type: z.string() }),
        event: z.record(z.string(), z.unknown()),
      }),
      z.object({ subscription: z.object({ id, type: z.string() }), events: z.array(z.unknown()) }),
    ]),
  }),
  z.object({
    message_type: z.literal("revocation"),
    payload: z.object({ subscription: z.object({ id, type: z.string(), status: z.string() }) }),
  }),
]);

/** The envelope every frame shares. */
export const eventSubMetadataSchema = z.object({
  metadata: z.object({ message_id: id, message_type: z.string(), message_timestamp: z.string() }),
  payload: z.unknown(),
});

/** `event` payloads by subscription type. */
export const eventSubEventSchemas = {
  "channel.follow": user("user").extend(user("broadcaster_user").shape).extend({ followed_at: z.string() }),
  "channel.subscribe": user("user").extend({ tier, is_gift: z.boolean() }),
  "channel.subscription.gift": maybeUser("user").extend({
    total: z.number().int(),
    tier,
    cumulative_total: z.number().int().nullable().optional(),
    is_anonymous: z.boolean(),
  }),
  "channel.subscription.message": user("user").extend({
    tier,
    message: z.object({ text: z.string() }),
    cumulative_months: z.number().int(),
    streak_months: z.number().int().nullable().optional(),
    duration_months: z.number().int(),
  }),
  "channel.cheer": maybeUser("user").extend({
    is_anonymous: z.boolean(),
    message: z.string(),
    bits: z.number().int(),
  }),
  "channel.raid": user("from_broadcaster_user").extend({ viewers: z.number().int() }),
  "channel.hype_train.begin": z.object({
    id,
    total: z.number().int(),
    progress: z.number().int(),
    goal: z.number().int(),
    top_contributions: z.array(contribution),
    level: z.number().int(),
    started_at: z.string(),
    expires_at: z.string(),
  }),
  "channel.hype_train.end": z.object({
    id,
    total: z.number().int(),
    top_contributions: z.array(contribution),
    level: z.number().int(),
    started_at: z.string(),
    ended_at: z.string(),
    cooldown_ends_at: z.string(),
  }),
  "channel.channel_points_custom_reward_redemption.add": user("user").extend({
    id,
    user_input: z.string(),
    status: z.string(),
    reward: z.object({ id, title: z.string(), cost: z.number().int(), prompt: z.string() }),
    redeemed_at: z.string(),
  }),
  "stream.online": user("broadcaster_user").extend({ type: z.string(), started_at: z.string() }),
  "stream.offline": user("broadcaster_user"),
};
