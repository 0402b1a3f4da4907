import { cooldown, createOn, type Logger } from "starstreamer";
import type { RpgConfig } from "../config.ts";
import type { Change, OperationKey } from "../economy.ts";
import type rpg from "../module.ts";
import { clock, economy } from "../state.ts";

const on = createOn<typeof rpg>();

/** Pays a reward; one event pays each reward once (its id and the reward are the ledger key). */
async function pay(key: OperationKey, change: Change, logger: Logger): Promise<void> {
  if (change.amount <= 0) return;
  try {
    await economy().apply(key, [change], clock.now());
  } catch (error) {
    // A reward that cannot be paid (a balance at 2^53) is skipped; it never blocks the event.
    logger.warn(`${change.reason} for ${change.login} not paid: ${(error as Error).message}`);
  }
}

/**
 * Registers the rewards the config turns on (amount above 0); the others do not exist, so their
 * events never wake the module.
 */
export function registerRewards(rewards: RpgConfig["rewards"]): void {
  if (rewards.chat > 0) {
    // The host lets one message per viewer through per window; the rest never reach the worker.
    on(
      "twitch.chat.message",
      rewards.chatEvery > 0 ? [cooldown({ user: rewards.chatEvery })] : [],
      async function chatReward(event, { config, logger }) {
        const { login } = event.data.user;
        const key = { eventId: event.id, operation: "chat-reward" };
        await pay(key, { login, amount: config.rewards.chat, reason: "chatting" }, logger);
      },
      { description: "Pays viewers a little for chatting" },
    );
  }
  if (rewards.follow > 0) {
    on("twitch.follow", async function followReward(event, { config, logger }) {
      const key = { eventId: event.id, operation: "follow-reward" };
      await pay(
        key,
        { login: event.data.user.login, amount: config.rewards.follow, reason: "follow" },
        logger,
      );
    });
  }
  if (rewards.subscription > 0) {
    on("twitch.subscription", async function subscriptionReward(event, { config, logger }) {
      const key = { eventId: event.id, operation: "sub-reward" };
      const change = {
        login: event.data.user.login,
        amount: config.rewards.subscription,
        reason: "subscription",
      };
      await pay(key, change, logger);
    });
  }
  if (rewards.giftPerSub > 0) {
    on("twitch.subscription.gift", async function giftReward(event, { config, logger }) {
      if (event.data.user === null) return; // anonymous: nobody to pay
      const amount = config.rewards.giftPerSub * event.data.total;
      const key = { eventId: event.id, operation: "gift-reward" };
      await pay(
        key,
        { login: event.data.user.login, amount, reason: `gifted ${event.data.total} subs` },
        logger,
      );
    });
  }
  if (rewards.per100Bits > 0) {
    on("twitch.cheer", async function cheerReward(event, { config, logger }) {
      if (event.data.user === null) return;
      const amount = config.rewards.per100Bits * Math.floor(event.data.bits / 100);
      const key = { eventId: event.id, operation: "cheer-reward" };
      await pay(
        key,
        { login: event.data.user.login, amount, reason: `cheered ${event.data.bits} bits` },
        logger,
      );
    });
  }
}
