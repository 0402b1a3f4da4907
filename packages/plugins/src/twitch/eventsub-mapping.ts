import type { z } from "zod";
import { eventSubEventSchemas as wire } from "./eventsub-wire.external.ts";

/** What a subscription type needs: its version, the scopes Twitch requires, the domain event it becomes. */
export interface EventSubTopic {
  version: string;
  /** Any one of these scopes is enough (empty: none needed). */
  scopes: string[];
  /** The domain event type. */
  event: string;
  /** Wire `event` → domain `data`; throws (zod) when the payload misses fields. */
  map(raw: unknown): unknown;
}

type Wire<K extends keyof typeof wire> = z.output<(typeof wire)[K]>;

const u = (id: string, login: string, displayName: string | null) => ({
  id,
  login,
  displayName: displayName || login,
});
const who = (raw: { user_id: string; user_login: string; user_name: string }) =>
  u(raw.user_id, raw.user_login, raw.user_name);
const maybeWho = (raw: { user_id: string | null; user_login: string | null; user_name: string | null }) =>
  raw.user_id && raw.user_login ? u(raw.user_id, raw.user_login, raw.user_name) : null;

const CONTRIBUTION_TYPES = new Set(["bits", "subscription", "other"]);
const contributions = (list: Wire<"channel.hype_train.begin">["top_contributions"]) =>
  list.map((c) => ({
    user: who(c),
    type: CONTRIBUTION_TYPES.has(c.type) ? c.type : "other",
    total: c.total,
  }));

const train = (raw: unknown) => {
  const e = wire["channel.hype_train.begin"].parse(raw);
  return {
    id: e.id,
    level: e.level,
    total: e.total,
    progress: e.progress,
    goal: e.goal,
    topContributions: contributions(e.top_contributions),
    startedAt: e.started_at,
    expiresAt: e.expires_at,
  };
};

const REDEMPTION_STATUSES = new Set(["unfulfilled", "fulfilled", "canceled"]);

/**
 * The EventSub subscriptions the Twitch plugin makes, keyed by Twitch's type, with the scope each
 * needs and how its payload becomes a StarStreamer event. Hype trains use version 2 (version 1 is
 * deprecated by Twitch).
 */
export const EVENTSUB_TOPICS: Record<string, EventSubTopic> = {
  "channel.follow": {
    version: "2",
    scopes: ["moderator:read:followers"],
    event: "twitch.follow",
    map: (raw) => {
      const e = wire["channel.follow"].parse(raw);
      return { user: who(e), followedAt: e.followed_at };
    },
  },
  "channel.subscribe": {
    version: "1",
    scopes: ["channel:read:subscriptions"],
    event: "twitch.subscription",
    map: (raw) => {
      const e = wire["channel.subscribe"].parse(raw);
      return { user: who(e), tier: e.tier, isGift: e.is_gift };
    },
  },
  "channel.subscription.gift": {
    version: "1",
    scopes: ["channel:read:subscriptions"],
    event: "twitch.subscription.gift",
    map: (raw) => {
      const e = wire["channel.subscription.gift"].parse(raw);
      const user = e.is_anonymous ? null : maybeWho(e);
      return {
        user,
        isAnonymous: user === null,
        tier: e.tier,
        total: e.total,
        ...(typeof e.cumulative_total === "number" ? { cumulativeTotal: e.cumulative_total } : {}),
      };
    },
  },
  "channel.subscription.message": {
    version: "1",
    scopes: ["channel:read:subscriptions"],
    event: "twitch.resubscription",
    map: (raw) => {
      const e = wire["channel.subscription.message"].parse(raw);
      return {
        user: who(e),
        tier: e.tier,
        months: e.cumulative_months,
        ...(e.streak_months ? { streakMonths: e.streak_months } : {}),
        durationMonths: e.duration_months,
        message: e.message.text,
      };
    },
  },
  "channel.cheer": {
    version: "1",
    scopes: ["bits:read"],
    event: "twitch.cheer",
    map: (raw) => {
      const e = wire["channel.cheer"].parse(raw);
      const user = e.is_anonymous ? null : maybeWho(e);
      return { user, isAnonymous: user === null, bits: e.bits, message: e.message };
    },
  },
  "channel.raid": {
    version: "1",
    scopes: [],
    event: "twitch.raid",
    map: (raw) => {
      const e = wire["channel.raid"].parse(raw);
      return {
        from: u(e.from_broadcaster_user_id, e.from_broadcaster_user_login, e.from_broadcaster_user_name),
        viewers: e.viewers,
      };
    },
  },
  "channel.hype_train.begin": {
    version: "2",
    scopes: ["channel:read:hype_train"],
    event: "twitch.hype_train.begin",
    map: train,
  },
  "channel.hype_train.progress": {
    version: "2",
    scopes: ["channel:read:hype_train"],
    event: "twitch.hype_train.progress",
    map: train,
  },
  "channel.hype_train.end": {
    version: "2",
    scopes: ["channel:read:hype_train"],
    event: "twitch.hype_train.end",
    map: (raw) => {
      const e = wire["channel.hype_train.end"].parse(raw);
      return {
        id: e.id,
        level: e.level,
        total: e.total,
        topContributions: contributions(e.top_contributions),
        startedAt: e.started_at,
        endedAt: e.ended_at,
        cooldownEndsAt: e.cooldown_ends_at,
      };
    },
  },
  "channel.channel_points_custom_reward_redemption.add": {
    version: "1",
    scopes: ["channel:read:redemptions", "channel:manage:redemptions"],
    event: "twitch.redemption",
    map: (raw) => {
      const e = wire["channel.channel_points_custom_reward_redemption.add"].parse(raw);
      return {
        id: e.id,
        user: who(e),
        reward: { id: e.reward.id, title: e.reward.title, cost: e.reward.cost, prompt: e.reward.prompt },
        input: e.user_input,
        status: REDEMPTION_STATUSES.has(e.status) ? e.status : "unknown",
        redeemedAt: e.redeemed_at,
      };
    },
  },
  "stream.online": {
    version: "1",
    scopes: [],
    event: "twitch.stream.online",
    map: (raw) => {
      const e = wire["stream.online"].parse(raw);
      return {
        broadcaster: u(e.broadcaster_user_id, e.broadcaster_user_login, e.broadcaster_user_name),
        type: e.type,
        startedAt: e.started_at,
      };
    },
  },
  "stream.offline": {
    version: "1",
    scopes: [],
    event: "twitch.stream.offline",
    map: (raw) => {
      const e = wire["stream.offline"].parse(raw);
      return { broadcaster: u(e.broadcaster_user_id, e.broadcaster_user_login, e.broadcaster_user_name) };
    },
  },
};
