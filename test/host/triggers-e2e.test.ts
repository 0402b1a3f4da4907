import { createTestHost, type TestHost } from "@starstreamer/testing";
import { afterEach, describe, expect, it } from "vitest";
import { fixture } from "../paths.ts";

let t: TestHost | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe("triggers end to end", () => {
  it("parses command arguments, answers bad ones with usage, and tells the user a cooldown's remaining time", async () => {
    t = await createTestHost({ modules: [fixture("gatekeeper")] });
    t.chat("!give @Bob 5", { login: "ada" });
    await t.waitForMessage("gave 5 to bob");
    t.chat("!give bob five", { login: "cy" });
    const usage = await t.waitForMessage(/Usage: !give <to> <amount>/);
    expect(usage.text).toContain("must be a whole number");
    t.chat("!give bob 2", { login: "ada" });
    await t.waitForMessage(/^@ada wait (59s|1m)$/);
  });

  it("keeps cooldown state on the host across a reload", async () => {
    t = await createTestHost({ modules: [fixture("gatekeeper")] });
    t.chat("!give bob 5", { login: "ada" });
    await t.waitForMessage("gave 5 to bob");
    expect((await t.host.registry.reload("gatekeeper")).ok).toBe(true);
    t.chat("!give bob 1", { login: "ada" });
    await t.waitForMessage(/^@ada wait/);
  });

  it("runs function predicates in the worker; a rejected event does not spend the cooldown", async () => {
    t = await createTestHost({ modules: [fixture("gatekeeper")] });
    t.chat("!even 3"); // the predicate rejects it: it must not hold the cooldown
    t.chat("!even 4");
    await t.waitForMessage("even 4");
    t.chat("!even 6"); // inside the global cooldown 4 started: must be ignored
    t.chat("!give bob 1", { login: "sentinel" }); // sentinel, handled after it by the same worker
    await t.waitForMessage("gave 1 to bob");
    expect(t.twitch.sent.items.map((m) => m.text)).toEqual(["even 4", "gave 1 to bob"]);
  });

  it("gates by user level, matches keywords and regex groups, and takes wildcard types", async () => {
    t = await createTestHost({ modules: [fixture("gatekeeper")] });
    t.chat("!shout", { level: "vip" });
    t.chat("!shout", { level: "moderator" });
    await t.waitForMessage("MOD SHOUT");
    t.chat("who wants PIZZA tonight");
    await t.waitForMessage("🍕");
    t.chat("pizzas are not a whole word");
    t.chat("roll 20");
    await t.waitForMessage("rolling d20");
    t.emit("twitch.raid");
    await t.logs.waitFor(
      (r) => r.message === "saw" && r.fields.type === "twitch.raid",
      2000,
      "the wildcard handler",
    );
    expect(t.twitch.sent.items.map((m) => m.text)).toEqual(["MOD SHOUT", "🍕", "rolling d20"]);
  });

  it("reports a handler that runs past its deadline, and it still completes", async () => {
    t = await createTestHost({ modules: [fixture("gatekeeper")] });
    t.chat("!slow");
    const warning = await t.logs.waitFor(
      (r) => r.message.includes("past its deadline"),
      2000,
      "the deadline warning",
    );
    expect(warning.fields).toMatchObject({ module: "gatekeeper", handler: "slow" });
    await t.waitForMessage("slow done");
  });

  it("refuses an event emitted outside the module's own namespace", async () => {
    t = await createTestHost({ modules: [fixture("gatekeeper")] });
    t.chat("!spoof");
    await t.waitForMessage("refused: SS_EMIT_FORBIDDEN");
  });

  it("a required service that no module provides is a load error naming it", async () => {
    t = await createTestHost({ modules: [fixture("needs-economy"), fixture("gatekeeper")] });
    expect(t.host.registry.info("needs-economy")).toMatchObject({ state: "failed" });
    expect(t.host.registry.info("needs-economy").reason).toMatch(
      /requires the service "economy", which no loaded module provides/,
    );
    expect(t.host.registry.info("gatekeeper").state).toBe("enabled");
  });

  it("a second provider of the same service is refused, naming the first", async () => {
    t = await createTestHost({ modules: [fixture("bank"), fixture("bank2"), fixture("teller")] });
    expect(t.host.registry.info("bank").state).toBe("enabled");
    expect(t.host.registry.info("bank2")).toMatchObject({ state: "failed" });
    expect(t.host.registry.info("bank2").reason).toMatch(
      /provides the service "bank", which bank already provides/,
    );
    // The module that requires the service started after both claimants, so it found bank.
    expect(t.host.registry.info("teller")).toMatchObject({ state: "enabled" });
    t.chat("!deposit 3", { login: "ada" });
    await t.waitForMessage("ada has 3");
  });
});
