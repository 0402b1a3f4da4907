import { command, createOn, formatDuration } from "starstreamer";
import { dayIn, msUntilNextDay, previousDay } from "../calendar.ts";
import { CHAT_LIMIT, formatAmount, sentence } from "../format.ts";
import { parseUser } from "../input.ts";
import type rpg from "../module.ts";
import { clock, economy } from "../state.ts";

const on = createOn<typeof rpg>();

// "!balance" for your own, "!balance @friend" for someone else's.
on(
  "twitch.chat.message",
  command("!balance", { aliases: ["bal"], args: ["who?"] }),
  async function balance(event, { twitch, config, match }) {
    const me = event.data.user;
    const who = match.command.params.who;
    if (who === undefined) {
      const amount = await economy().balance(me.login);
      await twitch.sendMessage(`@${me.displayName} you have ${formatAmount(amount, config.currency)}.`);
      return;
    }
    const parsed = parseUser(who);
    if (!parsed.ok) {
      await twitch.sendMessage(`@${me.displayName} ${sentence(parsed.reason)}`);
      return;
    }
    const amount = await economy().balance(parsed.value);
    await twitch.sendMessage(
      `@${me.displayName} ${parsed.value} has ${formatAmount(amount, config.currency)}.`,
    );
  },
  { description: "Your balance, or another viewer's with @name" },
);

// Pays a random amount; a user rests for the configured cooldown between two !work.
on(
  "twitch.chat.message",
  command("!work"),
  async function work(event, { twitch, config }) {
    const now = clock.now();
    const me = event.data.user;
    const { min, max, cooldown } = config.work;
    const pay = min + Math.floor(Math.random() * (max - min + 1));
    const outcome = await economy().work(event.id, me.login, pay, cooldown, now);
    if (outcome.kind === "repeat") return;
    if (outcome.kind === "resting") {
      await twitch.sendMessage(
        `@${me.displayName} you're still resting: work again in ${formatDuration(outcome.remainingMs)}.`,
      );
      return;
    }
    await twitch.sendMessage(
      `@${me.displayName} you worked and earned ${formatAmount(outcome.amount, config.currency)}! ` +
        `You have ${formatAmount(outcome.balance, config.currency)}.`,
    );
  },
  { description: "Earn some coins (once every few minutes)" },
);

// Once per calendar day in the configured time zone; consecutive days grow a streak bonus.
on(
  "twitch.chat.message",
  command("!daily"),
  async function daily(event, { twitch, config }) {
    const now = clock.now();
    const me = event.data.user;
    const { amount, streakBonus, maxStreakDays, timeZone } = config.daily;
    const day = dayIn(now, timeZone);
    const amountFor = (streak: number) => amount + (Math.min(streak, maxStreakDays) - 1) * streakBonus;
    const outcome = await economy().daily(event.id, me.login, day, previousDay(day), amountFor, now);
    if (outcome.kind === "repeat") return;
    if (outcome.kind === "already") {
      await twitch.sendMessage(
        `@${me.displayName} you already collected today's reward (${outcome.streak}-day streak). ` +
          `Next one in ${formatDuration(msUntilNextDay(now, timeZone))}.`,
      );
      return;
    }
    const streak = outcome.streak > 1 ? `, ${outcome.streak}-day streak!` : "!";
    await twitch.sendMessage(
      `@${me.displayName} daily reward: ${formatAmount(outcome.amount, config.currency)}${streak} ` +
        `You have ${formatAmount(outcome.balance, config.currency)}.`,
    );
  },
  { description: "Collect a daily reward; consecutive days build a streak" },
);

// The richest accounts, in one chat message.
on(
  "twitch.chat.message",
  command("!leaderboard", { aliases: ["top"] }),
  async function leaderboard(_event, { twitch, config }) {
    const top = await economy().top(config.leaderboard.size);
    if (top.length === 0) {
      await twitch.sendMessage(`No one has any ${config.currency.plural} yet. Try !work!`);
      return;
    }
    const entries = top.map((h, i) => `${i + 1}. ${h.login} (${formatAmount(h.balance, config.currency)})`);
    let text = `🏆 Top ${entries.length}: ${entries.join(" | ")}`;
    while (text.length > CHAT_LIMIT && entries.length > 1) {
      entries.pop();
      text = `🏆 Top ${entries.length}: ${entries.join(" | ")}`;
    }
    await twitch.sendMessage(text);
  },
  { description: "The richest viewers" },
);
