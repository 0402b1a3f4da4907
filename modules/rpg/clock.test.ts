import type { TestHost } from "@starstreamer/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ask, auditEconomy, moveClock, startRpg } from "../../test/modules/economy-kit.ts";

// The module clock is set and frozen by custom.rpg.clock (testClock: true), so cooldowns and
// calendar days are tested without waiting for them, and the times left come out exact.
let t: TestHost;
beforeAll(async () => {
  t = await startRpg({
    testClock: true,
    work: { min: 30, max: 30, cooldown: "5m" },
    daily: { amount: 100, streakBonus: 10, maxStreakDays: 3, timeZone: "America/New_York" },
  });
});
afterAll(async () => {
  await t?.close();
});

describe("!work cooldown on the module clock", () => {
  it("refuses a second !work within 5 minutes, says the time left, and pays once it is over", async () => {
    await moveClock(t, { setTo: "2026-03-10T12:00:00Z", freeze: true });
    expect(await ask(t, "wes", "!work")).toBe("you worked and earned 30 coins! You have 30 coins.");
    expect(await ask(t, "wes", "!work")).toBe("you're still resting: work again in 5m.");
    await moveClock(t, { advanceMs: 4 * 60_000 });
    expect(await ask(t, "wes", "!work")).toBe("you're still resting: work again in 1m.");
    // The cooldown is per user: someone else works meanwhile.
    expect(await ask(t, "xia", "!work")).toBe("you worked and earned 30 coins! You have 30 coins.");
    await moveClock(t, { advanceMs: 61_000 });
    expect(await ask(t, "wes", "!work")).toBe("you worked and earned 30 coins! You have 60 coins.");
    expect(auditEconomy(t).balances.wes).toBe(60);
  });

  it("keeps the cooldown (and the moved clock) across a reload of the module", async () => {
    expect(await ask(t, "yan", "!work")).toBe("you worked and earned 30 coins! You have 30 coins.");
    const reload = await t.host.registry.reload("rpg");
    expect(reload.ok).toBe(true);
    expect(await ask(t, "yan", "!work")).toBe("you're still resting: work again in 5m.");
    await moveClock(t, { advanceMs: 5 * 60_000 });
    expect(await ask(t, "yan", "!work")).toBe("you worked and earned 30 coins! You have 60 coins.");
  });
});

describe("!daily on calendar days of the configured time zone", () => {
  it("pays once per New York day, grows the streak on consecutive days, caps the bonus, restarts after a gap", async () => {
    await moveClock(t, { setTo: "2026-03-10T12:00:00Z", freeze: true }); // 08:00 in New York
    expect(await ask(t, "zoe", "!daily")).toBe("daily reward: 100 coins! You have 100 coins.");
    expect(await ask(t, "zoe", "!daily")).toBe(
      "you already collected today's reward (1-day streak). Next one in 16h.",
    );
    // 23:59 in New York: already 11 March in UTC, still 10 March for the streamer.
    await moveClock(t, { setTo: "2026-03-11T03:59:00Z", freeze: true });
    expect(await ask(t, "zoe", "!daily")).toBe(
      "you already collected today's reward (1-day streak). Next one in 1m.",
    );
    await moveClock(t, { setTo: "2026-03-11T04:00:30Z", freeze: true }); // just past midnight in New York
    expect(await ask(t, "zoe", "!daily")).toBe("daily reward: 110 coins, 2-day streak! You have 210 coins.");
    await moveClock(t, { setTo: "2026-03-12T20:00:00Z", freeze: true });
    expect(await ask(t, "zoe", "!daily")).toBe("daily reward: 120 coins, 3-day streak! You have 330 coins.");
    await moveClock(t, { setTo: "2026-03-13T20:00:00Z", freeze: true });
    expect(await ask(t, "zoe", "!daily")).toBe("daily reward: 120 coins, 4-day streak! You have 450 coins.");
    // 14 March skipped: the streak starts over.
    await moveClock(t, { setTo: "2026-03-15T20:00:00Z", freeze: true });
    expect(await ask(t, "zoe", "!daily")).toBe("daily reward: 100 coins! You have 550 coins.");
    const audit = auditEconomy(t);
    expect(audit.balances.zoe).toBe(550);
    expect(audit.sumOfBalances).toBe(audit.sumOfLedger);
  });

  it("counts a day of 23 hours (daylight saving starts) as one calendar day", async () => {
    // 8 March 2026 in New York runs from 05:00Z to 04:00Z the next day (clocks go forward at 2:00).
    await moveClock(t, { setTo: "2026-03-08T05:30:00Z", freeze: true });
    expect(await ask(t, "ada", "!daily")).toBe("daily reward: 100 coins! You have 100 coins.");
    expect(await ask(t, "ada", "!daily")).toBe(
      "you already collected today's reward (1-day streak). Next one in 22h 30m.",
    );
    await moveClock(t, { setTo: "2026-03-09T04:00:01Z", freeze: true });
    expect(await ask(t, "ada", "!daily")).toBe("daily reward: 110 coins, 2-day streak! You have 210 coins.");
  });
});
