import { defineModule } from "starstreamer";
import { type RpgConfig, rpgConfigSchema } from "./config.ts";
import { type RpgTables, rpgDatabase } from "./database.ts";
import { Economy } from "./economy.ts";
import { createEconomyService } from "./service.ts";
import { clock, setEconomy } from "./state.ts";

declare module "starstreamer" {
  interface CustomEventMap {
    /** Moves the rpg module's clock (only with `testClock: true`): by `advanceMs`, or to `setTo` (ISO). */
    "custom.rpg.clock": { advanceMs?: number; setTo?: string };
    /** The rpg module's answer to `custom.rpg.clock`: the clock's time now (ISO), or why it did not move. */
    "custom.rpg.clock-moved": { now: string; moved: boolean };
  }
}

/**
 * The economy game: `!balance`, `!work`, `!daily`, `!give`, `!gamble`, `!leaderboard`, and the
 * `economy` service other modules pay and charge through. Balances and a ledger of every change
 * live in the module's own SQLite file.
 */
const rpg = defineModule<RpgConfig, RpgTables>({
  name: "rpg",
  description:
    "Economy game: work, daily rewards, gifts, gambling and a leaderboard; provides the economy service",
  version: "1.0.0",
  author: "StarStreamer",
  provides: ["economy"],
  config: rpgConfigSchema,
  database: rpgDatabase,
  initialize(ctx) {
    const economy = new Economy(ctx.db);
    setEconomy(economy);
    ctx.provide("economy", createEconomyService(economy, clock));
  },
  async registerActions(ctx) {
    const { registerRewards } = await import("./actions/rewards.ts");
    registerRewards(ctx.config.rewards);
    await import("./actions/economy.ts");
    await import("./actions/give.ts");
    await import("./actions/gamble.ts");
    await import("./actions/clock.ts");
  },
  // A rehearsal's moved clock stays moved across a reload.
  snapshot: () => ({ clockOffsetMs: clock.offsetMs }),
  restore(state) {
    const offset = (state as { clockOffsetMs?: unknown } | null)?.clockOffsetMs;
    if (typeof offset === "number" && Number.isFinite(offset)) clock.offsetMs = offset;
  },
});

export default rpg;
