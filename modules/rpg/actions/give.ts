import { command, createOn, StarStreamerError, type TwitchPluginApi } from "starstreamer";
import { EconomyErrorCodes } from "../errors.ts";
import { formatAmount, sentence } from "../format.ts";
import { parseAmount, parseUser } from "../input.ts";
import type rpg from "../module.ts";
import { clock, economy } from "../state.ts";

const on = createOn<typeof rpg>();

type Lookup = { found: true; displayName: string } | { found: false; why: string };

/**
 * Whether `login` is someone on Twitch. The offline (local) chat cannot ask Twitch, so there a
 * name counts when its owner is in chat or already has an account.
 */
async function findRecipient(twitch: TwitchPluginApi, login: string): Promise<Lookup> {
  try {
    const user = await twitch.getUserByLogin(login);
    return user === null
      ? { found: false, why: `I can't find ${login} on Twitch` }
      : { found: true, displayName: user.displayName };
  } catch (error) {
    if (
      !(error instanceof Error) ||
      (error as StarStreamerError).code !== "SS_TWITCH_NOT_AVAILABLE_OFFLINE"
    ) {
      return { found: false, why: `I couldn't check ${login} on Twitch right now, try again in a moment` };
    }
  }
  const inChat = (await twitch.getChatters().catch(() => [])).find((c) => c.login === login);
  if (inChat !== undefined) return { found: true, displayName: inChat.displayName };
  if (await economy().known(login)) return { found: true, displayName: login };
  return { found: false, why: `I don't know ${login} yet: they need to say something in chat first` };
}

// "!give @friend 50": moves coins from the author to a Twitch user, atomically.
on(
  "twitch.chat.message",
  command("!give", { aliases: ["transfer"], args: ["to", "amount"] }),
  async function give(event, { twitch, config, match, logger }) {
    const me = event.data.user;
    const say = (text: string) => twitch.sendMessage(`@${me.displayName} ${text}`);
    const { to, amount } = match.command.params;
    const target = parseUser(to);
    if (!target.ok) return say(sentence(target.reason));
    const parsed = parseAmount(amount, { currency: config.currency.plural });
    if (!parsed.ok) return say(sentence(parsed.reason));
    const value = parsed.value as number;
    if (target.value === me.login) return say("You can't give to yourself.");
    if (value < config.give.minAmount) {
      return say(`The smallest gift is ${formatAmount(config.give.minAmount, config.currency)}.`);
    }
    const have = await economy().balance(me.login);
    if (value > have) return say(`You only have ${formatAmount(have, config.currency)}.`);
    const recipient = await findRecipient(twitch, target.value);
    if (!recipient.found) return say(sentence(recipient.why));
    try {
      const result = await economy().transfer(
        { eventId: event.id, operation: "give" },
        me.login,
        target.value,
        value,
        `gift from ${me.login}`,
        clock.now(),
      );
      if (!result.applied) return;
      return say(
        `You gave ${formatAmount(value, config.currency)} to ${recipient.displayName}. ` +
          `You have ${formatAmount(result.balances[me.login] ?? 0, config.currency)} left.`,
      );
    } catch (error) {
      const code = error instanceof StarStreamerError ? error.code : undefined;
      if (code === EconomyErrorCodes.INSUFFICIENT_FUNDS) {
        const now = (error as StarStreamerError).data.balance as number;
        return say(`You only have ${formatAmount(now, config.currency)}.`);
      }
      if (code === EconomyErrorCodes.BALANCE_LIMIT)
        return say(`${recipient.displayName} can't hold that much.`);
      logger.error(`give failed: ${(error as Error).message}`);
      return say("Something went wrong; nothing was moved.");
    }
  },
  { description: "Give coins to another viewer: !give @name amount" },
);
