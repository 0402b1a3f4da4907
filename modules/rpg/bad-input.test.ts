import type { TestHost } from "@starstreamer/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ask,
  auditEconomy,
  type EconomyAudit,
  said,
  startRpg,
  twitchUser,
} from "../../test/modules/economy-kit.ts";

// Mallory has 10 coins, Bob is a real Twitch user with 10 coins, Broke has 1 coin. Every bad input
// below gets one short answer and changes no balance and no ledger row.
let t: TestHost;
let before: EconomyAudit;
beforeAll(async () => {
  t = await startRpg({ work: { min: 10, max: 10 }, gamble: { winChance: 1 } });
  t.twitch.users.set("bob", twitchUser("bob"));
  t.twitch.users.set("mallory", twitchUser("mallory"));
  await ask(t, "mallory", "!work");
  await ask(t, "bob", "!work");
  before = auditEconomy(t);
});
afterAll(async () => {
  await t?.close();
});

const badGives: Array<[string, string]> = [
  ["!give", "Usage: !give <to> <amount> (missing <to>)"],
  ["!give @bob", "Usage: !give <to> <amount> (missing <amount>)"],
  ["!give @bob lots", "That's not an amount: a number, like 50."],
  ["!give @bob 0", "The amount must be more than 0."],
  ["!give @bob -5", "The amount must be more than 0."],
  ["!give @bob 2.5", "Amounts are whole numbers, like 50."],
  ["!give @bob 11", "You only have 10 coins."],
  ["!give @bob 9007199254740993", "That's more coins than exist."],
  ["!give @bob 1e400", "That's not an amount: a number, like 50."],
  ["!give @mallory 5", "You can't give to yourself."],
  ["!give @MALLORY 5", "You can't give to yourself."],
  ["!give @ghost_user 5", "I can't find ghost_user on Twitch."],
  ["!give bob 5", "Put an @ before the name, like @bob."],
  ["!give @@bob 5", "Use a single @ before the name."],
  ["!give @ 5", "Say who after the @, like @friend."],
  ["!give \uff20bob 5", "Start the name with a plain @, like @friend."],
  ["!give @b\u043eb 5", "That name has characters Twitch names can't have (look-alike letters?)"],
  ["!give @bob\u200b 5", "That name has characters Twitch names can't have (look-alike letters?)"],
  ["!give @bob \uff15", "Write the amount with digits 0-9."],
  ["!give @bob +5", "Write the amount without a sign, like 50."],
  ["!give 5 @bob", "Put an @ before the name, like @5."],
];

const badGambles: Array<[string, string]> = [
  ["!gamble", "Usage: !gamble <amount> (missing <amount>)"],
  ["!gamble lots", "That's not an amount: a number, all or half."],
  ["!gamble 0", "The amount must be more than 0."],
  ["!gamble -1", "The amount must be more than 0."],
  ["!gamble -all", "The amount must be more than 0."],
  ["!gamble 0.5", "Amounts are whole numbers, like 50."],
  ["!gamble 11", "You only have 10 coins."],
  ["!gamble 9007199254740993", "That's more coins than exist."],
  ["!gamble \u0665", "Write the amount with digits 0-9."],
];

describe("bad input to the rpg commands", () => {
  it.each(badGives)("answers %j briefly and moves nothing", async (text, answer) => {
    expect(await ask(t, "mallory", text)).toBe(answer);
  });

  it.each(badGambles)("answers %j briefly and bets nothing", async (text, answer) => {
    expect(await ask(t, "mallory", text)).toBe(answer);
  });

  it("refuses all and half to someone with nothing", async () => {
    expect(await ask(t, "pauper", "!gamble all")).toBe("You have no coins to bet. Try !work!");
    expect(await ask(t, "pauper", "!gamble half")).toBe("You have no coins to bet. Try !work!");
  });

  it("answers a malformed !balance @user", async () => {
    expect(await ask(t, "mallory", "!balance bob")).toBe("Put an @ before the name, like @bob.");
    expect(await ask(t, "mallory", "!balance @@bob")).toBe("Use a single @ before the name.");
  });

  it("ignores custom.rpg.clock while testClock is off: the work cooldown stays", async () => {
    const since = t.events.items.length;
    t.emit("custom.rpg.clock", { advanceMs: 3_600_000 });
    const answer = await t.events.waitFor(
      (e) => e.type === "custom.rpg.clock-moved",
      10_000,
      "clock answer",
      since,
    );
    expect((answer.data as { moved: boolean }).moved).toBe(false);
    expect(await ask(t, "mallory", "!work")).toMatch(/^you're still resting: work again in [45]m/);
  });

  it("changed no balance and wrote no ledger row; each bad input got exactly one answer", async () => {
    // Sentinel: a command handled after everything above, so nothing is still on its way.
    expect(await ask(t, "mallory", "!balance")).toBe("you have 10 coins.");
    const after = auditEconomy(t);
    expect(after).toEqual(before);
    expect(after.balances).toEqual({ mallory: 10, bob: 10 });
    const toMallory = said(t).filter((text) => text.startsWith("@Mallory "));
    // !work at the start, every bad input, two !balance answers, the refused !work, the sentinel.
    expect(toMallory.length).toBe(1 + badGives.length + badGambles.length + 2 + 1 + 1);
  });
});
