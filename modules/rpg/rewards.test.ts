import type { TestHost } from "@starstreamer/testing";
import { afterEach, describe, expect, it } from "vitest";
import { ask, auditEconomy, startRpg } from "../../test/modules/economy-kit.ts";

let t: TestHost | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const user = (login: string) => ({ id: String(login.length * 7919), login, displayName: login });

describe("rpg rewards for taking part", () => {
  it("pays for chatting once per window, follows, subs, gifts per sub and cheers per 100 bits; anonymous ones pay nobody", async () => {
    t = await startRpg({
      rewards: { chat: 2, chatEvery: "1h", follow: 50, subscription: 100, giftPerSub: 10, per100Bits: 1 },
    });
    t.chat("hi all", { login: "ada" });
    t.chat("still here", { login: "ada" }); // within Ada's window: no second payment
    t.emit("twitch.follow", { user: user("fol") });
    t.emit("twitch.subscription", { user: user("subby"), isGift: false });
    t.emit("twitch.subscription.gift", { user: user("santa"), isAnonymous: false, total: 5 });
    t.emit("twitch.subscription.gift", { user: null, isAnonymous: true, total: 3 });
    t.emit("twitch.cheer", { user: user("bitsy"), isAnonymous: false, bits: 250, message: "Cheer250" });
    t.emit("twitch.cheer", { user: null, isAnonymous: true, bits: 1000, message: "Cheer1000" });
    // Sentinel: handled after all of the above (its own chat reward is paid before the balance is read).
    expect(await ask(t, "zed", "!balance")).toBe("you have 2 coins.");
    const audit = auditEconomy(t);
    expect(audit.balances).toEqual({ ada: 2, fol: 50, subby: 100, santa: 50, bitsy: 2, zed: 2 });
    expect(audit.sumOfLedger).toBe(audit.sumOfBalances);
  });

  it("pays nothing by default", async () => {
    t = await startRpg();
    t.chat("hi all", { login: "ada" });
    t.emit("twitch.follow", { user: user("fol") });
    expect(await ask(t, "zed", "!balance")).toBe("you have 0 coins.");
    expect(auditEconomy(t).ledgerRows).toBe(0);
    expect(t.host.registry.info("rpg").handlers.map((h) => h.name)).not.toContain("chatReward");
  });
});
