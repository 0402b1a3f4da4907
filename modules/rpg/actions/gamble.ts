import { command, createOn, StarStreamerError } from "starstreamer";
import { EconomyErrorCodes } from "../errors.ts";
import { formatAmount, sentence } from "../format.ts";
import { parseAmount } from "../input.ts";
import type rpg from "../module.ts";
import { clock, economy } from "../state.ts";

const on = createOn<typeof rpg>();

/** A bet the player cannot make; its message goes to chat as it is. */
class Refused extends Error {}

// "!gamble 50", "!gamble all", "!gamble half": win bet * (payout - 1) with the configured chance.
on(
  "twitch.chat.message",
  command("!gamble", { aliases: ["bet"], args: ["amount"] }),
  async function gamble(event, { twitch, config, match, logger }) {
    const me = event.data.user;
    const say = (text: string) => twitch.sendMessage(`@${me.displayName} ${text}`);
    const { currency } = config;
    const { winChance, payout, minBet, maxBet } = config.gamble;
    const parsed = parseAmount(match.command.params.amount, {
      currency: currency.plural,
      allowAllHalf: true,
    });
    if (!parsed.ok) return say(sentence(parsed.reason));
    const spec = parsed.value;
    // Decided from the balance inside the transaction, so "all" means all of it even under a burst.
    const betFrom = (balance: number): number => {
      if (balance === 0) throw new Refused(`You have no ${currency.plural} to bet. Try !work!`);
      const bet = spec === "all" ? balance : spec === "half" ? Math.floor(balance / 2) : spec;
      if (bet > balance) throw new Refused(`You only have ${formatAmount(balance, currency)}.`);
      if (bet < minBet) throw new Refused(`The smallest bet is ${formatAmount(minBet, currency)}.`);
      if (maxBet > 0 && bet > maxBet)
        throw new Refused(`The biggest bet is ${formatAmount(maxBet, currency)}.`);
      return bet;
    };
    const won = Math.random() < winChance;
    const gainFor = (bet: number) => Math.max(1, Math.floor(bet * (payout - 1)));
    try {
      const outcome = await economy().gamble(event.id, me.login, betFrom, won, gainFor, clock.now());
      if (outcome.kind === "repeat") return;
      const left = formatAmount(outcome.balance, currency);
      return outcome.kind === "won"
        ? say(
            `You bet ${formatAmount(outcome.bet, currency)} and won ${formatAmount(outcome.change, currency)}! You have ${left}.`,
          )
        : say(`You bet ${formatAmount(outcome.bet, currency)} and lost it. You have ${left}.`);
    } catch (error) {
      if (error instanceof Refused) return say(error.message);
      if (error instanceof StarStreamerError && error.code === EconomyErrorCodes.BALANCE_LIMIT) {
        return say("The bank can't hold that much; bet less.");
      }
      logger.error(`gamble failed: ${(error as Error).message}`);
      return say("Something went wrong; nothing was bet.");
    }
  },
  { description: "Bet an amount, all or half" },
);
