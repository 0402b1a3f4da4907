import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { TestHost } from "@starstreamer/testing";
import { waitUntil } from "@starstreamer/testing";
import { afterEach, describe, expect, it } from "vitest";
import { auditEconomy, economyFixture, said, startRpg } from "./economy-kit.ts";

let t: TestHost | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const tipjar = economyFixture("tipjar");

const until = (check: () => boolean, what: string, timeoutMs = 10_000) => waitUntil(check, what, timeoutMs);

describe("another module using ctx.services.economy", () => {
  it("adds, refuses an overdraft, transfers and lists the top, with an event id that never pays twice", async () => {
    t = await startRpg({}, { modules: [tipjar] });
    t.chat("!tip 30", { login: "ada" });
    await t.waitForMessage("tipjar: ada has 30 (applied true, repeat applied false, 30)");
    t.chat("!charge 31", { login: "ada" });
    await t.waitForMessage("tipjar: refused SS_ECONOMY_INSUFFICIENT_FUNDS");
    t.chat("!pay ada 5", { login: "ada" });
    await t.waitForMessage("tipjar: refused SS_ECONOMY_SELF_TRANSFER");
    t.chat("!pay bo 0", { login: "ada" });
    await t.waitForMessage("tipjar: refused SS_ECONOMY_AMOUNT_INVALID");
    t.chat("!pay b\u043e 1", { login: "ada" });
    await t.waitForMessage("tipjar: refused SS_ECONOMY_USER_INVALID");
    t.chat("!pay bo 12", { login: "ada" });
    await t.waitForMessage("tipjar: paid, 18 and 12");
    t.chat("!charge 8", { login: "ada" });
    await t.waitForMessage("tipjar: charged, 10 left");
    t.chat("!rich", { login: "ada" });
    await t.waitForMessage("tipjar: bo=12,ada=10");
    // The rpg module's own commands see the same accounts.
    t.chat("!balance", { login: "bo" });
    await t.waitForMessage("@Bo you have 12 coins.");
    const audit = auditEconomy(t);
    expect(audit.balances).toEqual({ ada: 10, bo: 12 });
    expect(audit.sumOfLedger).toBe(22);
  });

  it("keeps working while the rpg module is reloaded (twice, once with changed code)", async () => {
    t = await startRpg({}, { modules: [tipjar] });
    const host = t;
    host.chat("!drip 600", { login: "cy" });
    // Reload while the drip is calling the service: the first reload as is, the second with new code.
    await until(() => auditEconomy(host).sumOfLedger >= 20, "the drip to be under way");
    expect(auditEconomy(host).sumOfLedger).toBeLessThan(600); // the reload starts mid-drip
    const first = await host.host.registry.reload("rpg");
    const original = readFileSync(join(host.modulesDir, "rpg", "config.ts"), "utf8");
    host.writeModuleFile("rpg", "config.ts", original.replace('.default("coins")', '.default("stars")'));
    const second = await host.host.registry.reload("rpg");
    expect([first.ok, second.ok], `${first.error?.message} ${second.error?.message}`).toEqual([true, true]);
    const done = await host.waitForMessage(/^tipjar: drip done/, { timeoutMs: 30_000 });
    expect(done.text).toBe("tipjar: drip done ok=600 failed=0 balance=600");
    // The new code answers in chat; the money is where the old code left it.
    host.chat("!balance", { login: "cy" });
    await host.waitForMessage("@Cy you have 600 stars.");
    const audit = auditEconomy(host);
    expect(audit.balances).toEqual({ cy: 600 });
    expect(audit.sumOfLedger).toBe(600);
    expect(said(host).filter((text) => text.includes("refused"))).toEqual([]);
  }, 60_000);
});
