import { createOn } from "starstreamer";
import type rpg from "../module.ts";
import { clock } from "../state.ts";

const on = createOn<typeof rpg>();

// Moves the module's clock for a rehearsal or a test; refused unless the config sets testClock.
on("custom.rpg.clock", async function moveClock(event, { bus, config, logger }) {
  const { advanceMs, setTo, freeze } = event.data;
  if (!config.testClock) {
    logger.warn("custom.rpg.clock ignored: set testClock: true in the rpg config to move the clock");
    await bus.emit("custom.rpg.clock-moved", { now: new Date(clock.now()).toISOString(), moved: false });
    return;
  }
  if (typeof setTo === "string" && Number.isFinite(Date.parse(setTo)))
    clock.set(Date.parse(setTo), { freeze: freeze === true });
  if (typeof advanceMs === "number" && Number.isFinite(advanceMs)) clock.advance(advanceMs);
  await bus.emit("custom.rpg.clock-moved", { now: new Date(clock.now()).toISOString(), moved: true });
});
