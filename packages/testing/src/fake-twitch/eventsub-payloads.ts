import { randomUUID } from "node:crypto";
import type { FakeUser } from "./fake-state.ts";

// The `event` objects of EventSub notifications, shaped as Twitch documents them
// (https://dev.twitch.tv/docs/eventsub/eventsub-reference/), snake_case as on the wire.

/** The subscription types the fake can fire, with the version and scopes Twitch requires. */
export const FAKE_EVENTSUB_TYPES = {
  "channel.follow": { version: "2", scopes: ["moderator:read:followers"] },
  "channel.subscribe": { version: "1", scopes: ["channel:read:subscriptions"] },
  "channel.subscription.gift": { version: "1", scopes: ["channel:read:subscriptions"] },
  "channel.subscription.message": { version: "1", scopes: ["channel:read:subscriptions"] },
  "channel.cheer": { version: "1", scopes: ["bits:read"] },
  "channel.raid": { version: "1", scopes: [] },
  "channel.hype_train.begin": { version: "2", scopes: ["channel:read:hype_train"] },
  "channel.hype_train.progress": { version: "2", scopes: ["channel:read:hype_train"] },
  "channel.hype_train.end": { version: "2", scopes: ["channel:read:hype_train"] },
  "channel.channel_points_custom_reward_redemption.add": {
    version: "1",
    scopes: ["channel:read:redemptions", "channel:manage:redemptions"],
  },
  "stream.online": { version: "1", scopes: [] },
  "stream.offline": { version: "1", scopes: [] },
} as const;

/** An EventSub subscription type the fake knows. */
export type FakeEventSubType = keyof typeof FAKE_EVENTSUB_TYPES;

type Json = Record<string, unknown>;

const iso = (offsetMs = 0) => new Date(Date.now() + offsetMs).toISOString();

function as(prefix: string, user: FakeUser): Json {
  return { [`${prefix}_id`]: user.id, [`${prefix}_login`]: user.login, [`${prefix}_name`]: user.displayName };
}

function contributions(user: FakeUser): Json[] {
  return [{ ...as("user", user), type: "bits", total: 100 }];
}

/**
 * The documented `event` object of `type` for `broadcaster`, from `user`, with `overrides` merged
 * on top (shallow: give whole nested objects). Unknown types throw.
 */
export function eventSubEvent(
  type: FakeEventSubType,
  broadcaster: FakeUser,
  user: FakeUser,
  overrides: Json = {},
): Json {
  const b = as("broadcaster_user", broadcaster);
  const base: Record<FakeEventSubType, () => Json> = {
    "channel.follow": () => ({ ...as("user", user), ...b, followed_at: iso() }),
    "channel.subscribe": () => ({ ...as("user", user), ...b, tier: "1000", is_gift: false }),
    "channel.subscription.gift": () => ({
      ...as("user", user),
      ...b,
      total: 1,
      tier: "1000",
      cumulative_total: 1,
      is_anonymous: false,
    }),
    "channel.subscription.message": () => ({
      ...as("user", user),
      ...b,
      tier: "1000",
      message: { text: "Love the stream! FevziGG", emotes: [{ begin: 17, end: 23, id: "302976485" }] },
      cumulative_months: 15,
      streak_months: 1,
      duration_months: 1,
    }),
    "channel.cheer": () => ({
      is_anonymous: false,
      ...as("user", user),
      ...b,
      message: "pogchamp",
      bits: 1000,
    }),
    "channel.raid": () => ({
      ...as("from_broadcaster_user", user),
      ...as("to_broadcaster_user", broadcaster),
      viewers: 9001,
    }),
    "channel.hype_train.begin": () => ({
      id: "1b0AsbInCHZW2SQFQkCzqN07Ib2",
      ...b,
      total: 137,
      progress: 137,
      goal: 500,
      top_contributions: contributions(user),
      level: 1,
      all_time_high_level: 4,
      all_time_high_total: 2845,
      shared_train_participants: null,
      started_at: iso(),
      expires_at: iso(5 * 60_000),
      type: "regular",
      is_shared_train: false,
    }),
    "channel.hype_train.progress": () => ({
      id: "1b0AsbInCHZW2SQFQkCzqN07Ib2",
      ...b,
      total: 700,
      progress: 200,
      goal: 1000,
      top_contributions: contributions(user),
      level: 2,
      shared_train_participants: null,
      started_at: iso(-60_000),
      expires_at: iso(4 * 60_000),
      type: "regular",
      is_shared_train: false,
    }),
    "channel.hype_train.end": () => ({
      id: "1b0AsbInCHZW2SQFQkCzqN07Ib2",
      ...b,
      total: 137,
      top_contributions: contributions(user),
      level: 2,
      shared_train_participants: null,
      started_at: iso(-5 * 60_000),
      ended_at: iso(),
      cooldown_ends_at: iso(60 * 60_000),
      type: "regular",
      is_shared_train: false,
    }),
    "channel.channel_points_custom_reward_redemption.add": () => ({
      id: randomUUID(),
      ...b,
      ...as("user", user),
      user_input: "pogchamp",
      status: "unfulfilled",
      reward: {
        id: "92af127c-7326-4483-a52b-b0da0be61c01",
        title: "title",
        cost: 100,
        prompt: "reward prompt",
      },
      redeemed_at: iso(),
    }),
    "stream.online": () => ({ id: "9001", ...b, type: "live", started_at: iso() }),
    "stream.offline": () => ({ ...b }),
  };
  const make = base[type];
  if (!make)
    throw new Error(
      `the fake Twitch cannot fire EventSub type "${type}"; it knows ${Object.keys(base).join(", ")}`,
    );
  return { ...make(), ...overrides };
}

/** The `condition` Twitch expects when subscribing to `type` for `broadcaster`. */
export function eventSubCondition(type: FakeEventSubType, broadcaster: FakeUser): Json {
  if (type === "channel.follow")
    return { broadcaster_user_id: broadcaster.id, moderator_user_id: broadcaster.id };
  if (type === "channel.raid") return { to_broadcaster_user_id: broadcaster.id };
  return { broadcaster_user_id: broadcaster.id };
}
