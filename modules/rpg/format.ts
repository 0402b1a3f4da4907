import type { RpgConfig } from "./config.ts";

const grouping = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/**
 * An amount with the currency's name: "1 coin", "1,250 coins".
 * @example formatAmount(1250, { singular: "coin", plural: "coins" }); // "1,250 coins"
 */
export function formatAmount(amount: number, currency: RpgConfig["currency"]): string {
  return `${grouping.format(amount)} ${amount === 1 ? currency.singular : currency.plural}`;
}

/** A reason from the input parsers as a chat sentence: capitalised, with a full stop. */
export function sentence(reason: string): string {
  const text = reason.charAt(0).toUpperCase() + reason.slice(1);
  return /[.!?)]$/.test(text) ? text : `${text}.`;
}

/** Twitch refuses chat messages over 500 characters. */
export const CHAT_LIMIT = 500;
