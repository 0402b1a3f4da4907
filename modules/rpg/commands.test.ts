import type { TestHost } from "@starstreamer/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ask, auditEconomy, said, startRpg, twitchUser } from "../../test/modules/economy-kit.ts";

// One host for the file; every test uses its own viewers, so their balances do not mix.
let t: TestHost;
beforeAll(async () => {
  t = await startRpg({
    work: { min: 25, max: 25 },
    currency: { singular: "gem", plural: "gems" },
    gamble: { winChance: 1, payout: 3 },
  });
  for (const login of ["bea", "cy", "dot", "eve"]) t.twitch.users.set(login, twitchUser(login));
});
afterAll(async () => {
  await t?.close();
});

describe("rpg commands through the host (real worker, real SQLite file)", () => {
  it("pays for !work in the configured currency and shows it in !balance", async () => {
    expect(await ask(t, "ann", "!balance")).toBe("you have 0 gems.");
    expect(await ask(t, "ann", "!work")).toBe("you worked and earned 25 gems! You have 25 gems.");
    expect(await ask(t, "ann", "!balance")).toBe("you have 25 gems.");
    expect(await ask(t, "ann", "!bal")).toBe("you have 25 gems.");
    expect(auditEconomy(t).balances.ann).toBe(25);
  });

  it("shows another user's balance with !balance @user", async () => {
    await ask(t, "bea", "!work");
    expect(await ask(t, "ann", "!balance @Bea")).toBe("bea has 25 gems.");
    expect(await ask(t, "ann", "!balance @nobody_here")).toBe("nobody_here has 0 gems.");
  });

  it("moves coins with !give @user amount, debiting and crediting in one go", async () => {
    await ask(t, "cy", "!work");
    expect(await ask(t, "cy", "!give @Dot 10")).toBe("You gave 10 gems to Dot. You have 15 gems left.");
    expect(await ask(t, "dot", "!balance")).toBe("you have 10 gems.");
    expect(await ask(t, "cy", "!transfer @dot 15")).toBe("You gave 15 gems to Dot. You have 0 gems left.");
    const audit = auditEconomy(t);
    expect([audit.balances.cy, audit.balances.dot]).toEqual([0, 25]);
    expect(audit.ledgerByLogin.cy).toBe(0);
    expect(audit.ledgerByLogin.dot).toBe(25);
  });

  it("gambles an amount, all or half; a win pays bet * (payout - 1)", async () => {
    await ask(t, "eve", "!work");
    expect(await ask(t, "eve", "!gamble 5")).toBe("You bet 5 gems and won 10 gems! You have 35 gems.");
    expect(await ask(t, "eve", "!gamble half")).toBe("You bet 17 gems and won 34 gems! You have 69 gems.");
    expect(await ask(t, "eve", "!bet ALL")).toBe("You bet 69 gems and won 138 gems! You have 207 gems.");
    expect(auditEconomy(t).ledgerByLogin.eve).toBe(207);
  });

  it("lists the top 5 accounts in one message, richest first (ties by name)", async () => {
    await ask(t, "gus", "!work");
    await ask(t, "hal", "!work");
    const before = said(t).length;
    t.chat("!leaderboard", { login: "ann" });
    const board = await t.waitForMessage(/^🏆/, { since: before });
    expect(board.text).toBe(
      "🏆 Top 5: 1. eve (207 gems) | 2. ann (25 gems) | 3. bea (25 gems) | 4. dot (25 gems) | 5. gus (25 gems)",
    );
    t.chat("!top", { login: "ann" });
    const again = await t.waitForMessage(/^🏆/, { since: before + 1 });
    expect(again.text).toBe(board.text);
  });

  it("keeps the sum of balances equal to the sum of the ledger", () => {
    const audit = auditEconomy(t);
    expect(audit.sumOfBalances).toBe(audit.sumOfLedger);
    expect(audit.sumOfBalances).toBe(25 * 6 + (207 - 25)); // six !work, eve's winnings
    for (const [login, balance] of Object.entries(audit.balances)) {
      expect(audit.ledgerByLogin[login] ?? 0, login).toBe(balance);
    }
    expect(audit.negativeBalances).toBe(0);
  });
});

describe("rpg gambling losses", () => {
  it("takes the bet on a loss (winChance 0)", async () => {
    const loser = await startRpg({ work: { min: 40, max: 40 }, gamble: { winChance: 0 } });
    try {
      await ask(loser, "fay", "!work");
      expect(await ask(loser, "fay", "!gamble 15")).toBe("You bet 15 coins and lost it. You have 25 coins.");
      expect(await ask(loser, "fay", "!gamble all")).toBe("You bet 25 coins and lost it. You have 0 coins.");
      expect(await ask(loser, "fay", "!gamble 1")).toBe("You have no coins to bet. Try !work!");
      const audit = auditEconomy(loser);
      expect(audit.balances.fay).toBe(0);
      expect(audit.sumOfLedger).toBe(0);
    } finally {
      await loser.close();
    }
  });
});
