import { defineModule } from "starstreamer";
import type { ClockState } from "./clock.ts";
import { type RpgConfig, rpgConfigSchema } from "./config.ts";
import { type RpgTables, rpgDatabase } from "./database.ts";
import { Economy } from "./economy.ts";
import { createEconomyService } from "./service.ts";
import { clock, setEconomy } from "./state.ts";

declare module "starstreamer" {
  interface CustomEventMap {
    /**
     * Moves the rpg module's clock (only with `testClock: true`): to `setTo` (ISO; frozen there with
     * `freeze: true`, else running on), then by `advanceMs`.
     */
    "custom.rpg.clock": { advanceMs?: number; setTo?: string; freeze?: boolean };
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
  snapshot: () => clock.state,
  restore(state) {
    const { offsetMs, frozenAt } = (state ?? {}) as Partial<Record<keyof ClockState, unknown>>;
    if (typeof offsetMs !== "number" || !Number.isFinite(offsetMs)) return;
    clock.state = {
      offsetMs,
      frozenAt: typeof frozenAt === "number" && Number.isFinite(frozenAt) ? frozenAt : null,
    };
  },
});

export default rpg;
