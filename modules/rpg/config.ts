import { cooldown } from "starstreamer";
import { z } from "zod";

/** A duration as the SDK reads it ("5m", "1h 30m", or ms), checked by the SDK's own parser. */
const durationSchema = z.union([z.string(), z.number()]).transform((value, ctx) => {
  try {
    return cooldown({ user: value }).userMs ?? 0;
  } catch (error) {
    ctx.addIssue({ code: "custom", message: (error as Error).message });
    return z.NEVER;
  }
});

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const amountSchema = z.int().min(0).max(Number.MAX_SAFE_INTEGER);

const workSchema = z
  .strictObject({
    /** The least and most a `!work` pays (uniformly random in between). */
    min: amountSchema.min(1).default(10),
    max: amountSchema.min(1).default(50),
    /** How long a user rests between two `!work`s. */
    cooldown: durationSchema.default(300_000),
  })
  .refine((work) => work.min <= work.max, { message: "work.min must not be above work.max" });

const dailySchema = z.strictObject({
  /** What a `!daily` pays on the first day of a streak. */
  amount: amountSchema.min(1).default(100),
  /** Added per day of the streak beyond the first (day 3 pays amount + 2 * streakBonus). */
  streakBonus: amountSchema.default(20),
  /** The streak bonus stops growing after this many days. */
  maxStreakDays: z.int().min(1).max(3650).default(7),
  /** The calendar day (and its midnight) is taken in this IANA time zone. */
  timeZone: z
    .string()
    .default("UTC")
    .refine(isTimeZone, { message: "not an IANA time zone (e.g. Europe/Berlin, America/New_York, UTC)" }),
});

const gambleSchema = z.strictObject({
  /** The chance to win, 0 to 1. */
  winChance: z.number().min(0).max(1).default(0.45),
  /** A win returns the bet times this (2: double or nothing); the gain is bet * (payout - 1). */
  payout: z.number().min(1).max(1000).default(2),
  /** The smallest bet. */
  minBet: amountSchema.min(1).default(1),
  /** The largest bet; 0: no limit. */
  maxBet: amountSchema.default(0),
});

/** The rpg module's configuration (`modules.rpg.config`), checked when the module loads. */
export const rpgConfigSchema = z.strictObject({
  currency: z
    .strictObject({
      /** The currency's name for one (`1 coin`) and for several (`5 coins`). */
      singular: z.string().min(1).max(30).default("coin"),
      plural: z.string().min(1).max(30).default("coins"),
    })
    .prefault({}),
  work: workSchema.prefault({}),
  daily: dailySchema.prefault({}),
  gamble: gambleSchema
    .refine((g) => g.maxBet === 0 || g.maxBet >= g.minBet, {
      message: "gamble.maxBet must be 0 (no limit) or at least gamble.minBet",
    })
    .prefault({}),
  give: z
    .strictObject({
      /** The smallest gift. */
      minAmount: amountSchema.min(1).default(1),
    })
    .prefault({}),
  leaderboard: z
    .strictObject({
      /** How many accounts `!leaderboard` shows. */
      size: z.int().min(1).max(10).default(5),
    })
    .prefault({}),
  /** Coins paid silently for taking part; 0 turns a reward off (all are off by default). */
  rewards: z
    .strictObject({
      /** Paid for chatting, at most once per `chatEvery` per viewer. */
      chat: amountSchema.default(0),
      chatEvery: durationSchema.default(60_000),
      /** Paid to a new follower. */
      follow: amountSchema.default(0),
      /** Paid to a subscriber (new, resub or gifted recipient). */
      subscription: amountSchema.default(0),
      /** Paid to a gifter for each sub gifted. */
      giftPerSub: amountSchema.default(0),
      /** Paid to a cheerer per 100 bits. */
      per100Bits: amountSchema.default(0),
    })
    .prefault({}),
  /**
   * Lets `custom.rpg.clock` events move the module's clock (for tests and rehearsals of cooldowns
   * and the daily rollover). Off by default: a live bot keeps real time.
   */
  testClock: z.boolean().default(false),
});

/** The validated configuration. */
export type RpgConfig = z.infer<typeof rpgConfigSchema>;
