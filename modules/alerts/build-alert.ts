import { randomUUID } from "node:crypto";
import type { EventData } from "starstreamer";
import type { AlertsConfig, AlertType, ObsAction } from "./config.ts";
import { renderTemplate } from "./template.ts";

/** One alert, ready to play: what the overlay shows and chat hears. */
export interface Alert {
  id: string;
  type: AlertType;
  text: string;
  durationMs: number;
  chat: boolean;
  obs?: ObsAction;
}

/** `force`: make the alert even when its type is disabled or under its minimum (test alerts). */
export interface BuildOptions {
  force?: boolean;
}

type Values = Record<string, string | number | undefined>;

const tierNumber = (tier: string): string => tier.slice(0, 1);

function make(config: AlertsConfig, type: AlertType, values: Values, options: BuildOptions): Alert | null {
  const settings = config[type];
  if (!settings.enabled && !options.force) return null;
  return {
    id: randomUUID(),
    type,
    text: renderTemplate(settings.template, values),
    durationMs: settings.durationMs ?? config.durationMs,
    chat: settings.chat,
    ...(settings.obs ? { obs: settings.obs } : {}),
  };
}

/** `twitch.follow` -> a follow alert. */
export function followAlert(
  data: EventData<"twitch.follow">,
  config: AlertsConfig,
  options: BuildOptions = {},
) {
  return make(config, "follow", { user: data.user.displayName }, options);
}

/**
 * `twitch.subscription` -> a subscription or resubscription alert. A gifted sub's recipient makes
 * none: the gifter's `twitch.subscription.gift` is the one alert for the whole gift.
 */
export function subscriptionAlert(
  data: EventData<"twitch.subscription">,
  config: AlertsConfig,
  options: BuildOptions = {},
): Alert | null {
  if (data.isGift) return null;
  const user = data.user.displayName;
  const tier = tierNumber(data.tier);
  if (data.months !== undefined && data.months > 1) {
    return make(
      config,
      "resubscription",
      { user, tier, months: data.months, streak: data.streakMonths, message: data.message },
      options,
    );
  }
  return make(config, "subscription", { user, tier }, options);
}

/** `twitch.resubscription` (a resub shared in chat; EventSub `channel.subscription.message`) -> a resub alert. */
export function resubscriptionAlert(
  data: EventData<"twitch.resubscription">,
  config: AlertsConfig,
  options: BuildOptions = {},
): Alert | null {
  return make(
    config,
    "resubscription",
    {
      user: data.user.displayName,
      tier: tierNumber(data.tier),
      months: data.months,
      streak: data.streakMonths,
      message: data.message,
    },
    options,
  );
}

/** `twitch.subscription.gift` -> one alert for the whole gift, however many subs it holds. */
export function giftAlert(
  data: EventData<"twitch.subscription.gift">,
  config: AlertsConfig,
  options: BuildOptions = {},
) {
  if (data.total < config.gift.minAmount && !options.force) return null;
  return make(
    config,
    "gift",
    {
      user: data.user?.displayName ?? config.anonymousName,
      amount: data.total,
      tier: tierNumber(data.tier),
      total: data.cumulativeTotal,
    },
    options,
  );
}

/** `twitch.cheer` -> a cheer alert, from `cheer.minBits` up. */
export function cheerAlert(
  data: EventData<"twitch.cheer">,
  config: AlertsConfig,
  options: BuildOptions = {},
) {
  if (data.bits < config.cheer.minBits && !options.force) return null;
  return make(
    config,
    "cheer",
    { user: data.user?.displayName ?? config.anonymousName, amount: data.bits, message: data.message },
    options,
  );
}

/** `twitch.raid` -> a raid alert, from `raid.minViewers` up. */
export function raidAlert(data: EventData<"twitch.raid">, config: AlertsConfig, options: BuildOptions = {}) {
  if (data.viewers < config.raid.minViewers && !options.force) return null;
  return make(config, "raid", { user: data.from.displayName, viewers: data.viewers }, options);
}

/** `twitch.redemption` -> a redemption alert, for the rewards listed in `redemption.rewards` (all when empty). */
export function redemptionAlert(
  data: EventData<"twitch.redemption">,
  config: AlertsConfig,
  options: BuildOptions = {},
) {
  const wanted = config.redemption.rewards.map((r) => r.toLowerCase());
  if (wanted.length > 0 && !wanted.includes(data.reward.title.toLowerCase()) && !options.force) return null;
  return make(
    config,
    "redemption",
    { user: data.user.displayName, reward: data.reward.title, cost: data.reward.cost, input: data.input },
    options,
  );
}

/**
 * Hype trains: `begin` and `end` always alert; `progress` fires on every contribution, so it
 * alerts only when the train reaches a level it had not reached before.
 */
export class HypeTrainTracker {
  /** Highest level announced per train id; a train is forgotten when it ends. */
  readonly #levels = new Map<string, number>();

  begin(data: EventData<"twitch.hype_train.begin">, config: AlertsConfig, options: BuildOptions = {}) {
    this.#remember(data.id, data.level);
    return make(config, "hypeTrainBegin", trainValues(data), options);
  }

  progress(data: EventData<"twitch.hype_train.progress">, config: AlertsConfig, options: BuildOptions = {}) {
    const known = this.#levels.get(data.id);
    if (known !== undefined && data.level <= known && !options.force) return null;
    this.#remember(data.id, data.level);
    // A progress for a train we never saw begin (the bot started mid-train) counts from its level.
    if (known === undefined && !options.force) return null;
    return make(config, "hypeTrainProgress", trainValues(data), options);
  }

  end(data: EventData<"twitch.hype_train.end">, config: AlertsConfig, options: BuildOptions = {}) {
    this.#levels.delete(data.id);
    return make(config, "hypeTrainEnd", { level: data.level, total: data.total }, options);
  }

  #remember(id: string, level: number): void {
    this.#levels.set(id, level);
    // Trains end within minutes; a lost `end` must not grow this forever.
    if (this.#levels.size > 50) this.#levels.delete(this.#levels.keys().next().value as string);
  }
}

function trainValues(data: EventData<"twitch.hype_train.begin">): Values {
  return { level: data.level, total: data.total, progress: data.progress, goal: data.goal };
}
