import { createTestHost, type TestHost } from "@starstreamer/testing";
import { afterEach, describe, expect, it } from "vitest";
import { fixture, moduleDir } from "../paths.ts";

let t: TestHost | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe("modules in real workers", () => {
  it("the greeter answers !greet and welcomes a follower", async () => {
    t = await createTestHost({ modules: [moduleDir("greeter")] });
    expect(t.host.registry.info("greeter").state).toBe("enabled");
    t.chat("!greet", { login: "ada" });
    await t.waitForMessage("Hello Ada! 👋");
    t.emit("twitch.follow", { user: { id: "77", login: "grace", displayName: "Grace" } });
    await t.waitForMessage("Welcome Grace! Thanks for following!");
    t.chat("hello there", { login: "bob" });
    t.chat("!GREET", { login: "cy" });
    await t.waitForMessage("Hello Cy! 👋");
    expect(t.twitch.sent.items.map((m) => m.text)).toEqual([
      "Hello Ada! 👋",
      "Welcome Grace! Thanks for following!",
      "Hello Cy! 👋",
    ]);
  });

  it("two modules talk through custom events", async () => {
    t = await createTestHost({ modules: [fixture("quiz"), fixture("scoreboard")] });
    t.chat("!quiz what is 2+2?", { login: "ada" });
    await t.waitForMessage("Quiz from ada: what is 2+2?");
    const event = await t.waitForEvent("custom.quiz.started");
    expect(event.source).toBe("module:quiz");
    expect(event.data).toEqual({ question: "what is 2+2?", by: "ada" });
  });

  it("a module uses another's service, also while the provider reloads", async () => {
    t = await createTestHost({ modules: [fixture("bank"), fixture("teller")] });
    t.chat("!deposit 5", { login: "ada" });
    await t.waitForMessage("ada has 5");
    const reloads: Promise<unknown>[] = [];
    for (let i = 1; i <= 20; i++) {
      t.chat("!deposit 1", { login: "ada" });
      if (i % 5 === 0) reloads.push(t.host.registry.reload("bank"));
    }
    const results = (await Promise.all(reloads)) as Array<{ ok: boolean }>;
    expect(results.every((r) => r.ok)).toBe(true);
    await t.waitForMessage("ada has 25", { timeoutMs: 10_000 });
    const totals = t.twitch.sent.items.map((m) => Number(m.text.split(" ").pop()));
    expect(totals).toEqual(Array.from({ length: 21 }, (_, i) => 5 + i));
  });

  it("a handler that throws is logged with module, handler and event, and the module goes on", async () => {
    t = await createTestHost({ modules: [fixture("crashy"), moduleDir("greeter")] });
    t.chat("!throw");
    const error = await t.waitForEvent("system.handler.error");
    expect(error.data).toMatchObject({
      module: "crashy",
      handler: "throwing",
      eventType: "twitch.chat.message",
    });
    const log = await t.logs.waitFor((r) => r.message.includes("boom from a handler"), 2000, "the error log");
    expect(log.fields).toMatchObject({ module: "crashy", handler: "throwing", event: "twitch.chat.message" });
    t.chat("!alive");
    await t.waitForMessage("crashy is alive");
    expect(t.host.registry.info("crashy")).toMatchObject({ state: "enabled", errors: 1, restarts: 0 });
  });

  for (const [trigger, reason] of [
    ["!loop", "watchdog"],
    ["!hog", "out of memory"],
    ["!exit", "exited with code 3"],
  ] as const) {
    it(`a module whose handler runs ${trigger} is restarted and the greeter keeps answering`, async () => {
      t = await createTestHost({
        modules: [fixture("crashy"), moduleDir("greeter")],
        settings: { crashy: { maxHeapMb: 32 } },
        limits: { watchdogMs: 1000, crash: { backoffMs: 50 } },
      });
      t.chat(trigger);
      t.chat("!greet", { login: "ada" });
      await t.waitForMessage("Hello Ada! 👋");
      await t.logs.waitFor((r) => r.fields.module === "crashy" && r.message.includes(reason), 15_000, reason);
      await t.logs.waitFor((r) => r.message.startsWith("restarted after a crash"), 15_000, "the restart");
      t.chat("!alive");
      await t.waitForMessage("crashy is alive", { timeoutMs: 10_000 });
      t.chat("!greet", { login: "bo" });
      await t.waitForMessage("Hello Bo! 👋");
      expect(t.host.registry.info("crashy")).toMatchObject({ state: "enabled", restarts: 1 });
    });
  }

  it("a module's bounded queue counts and logs what it could not take while its worker was stuck", async () => {
    t = await createTestHost({
      modules: [fixture("crashy"), moduleDir("greeter")],
      limits: { queueCapacity: 5, watchdogMs: 2000, crash: { backoffMs: 50 } },
    });
    // An idle queue sends at once: the worker takes !loop and never acknowledges it, so the
    // flood that follows waits in the host's queue of 5 (the watchdog allows the loop 2 s).
    t.chat("!loop");
    for (let i = 0; i < 20; i++) t.chat("!alive");
    t.chat("!greet", { login: "ada" });
    await t.waitForMessage("Hello Ada! 👋");
    const info = t.host.registry.info("crashy");
    expect(info.dropped).toBeGreaterThanOrEqual(14);
    const warning = await t.logs.waitFor(
      (r) => r.message.includes("queue full"),
      2000,
      "the overflow warning",
    );
    expect(warning.fields.module).toBe("crashy");
    await t.logs.waitFor((r) => r.message.startsWith("restarted after a crash"), 10_000, "the restart");
    t.chat("!alive");
    await t.waitForMessage("crashy is alive", { timeoutMs: 10_000 });
  });

  it("a crash loop ends in failed with the reason visible, and the host goes on", async () => {
    t = await createTestHost({
      modules: [fixture("crashy"), moduleDir("greeter")],
      limits: { crash: { maxFailures: 3, windowMs: 60_000, backoffMs: 20 } },
    });
    const stateOf = (e: { data: unknown }) => e.data as { module: string; state: string };
    for (let i = 0; i < 3; i++) {
      t.events.clear();
      t.chat("!exit");
      const expected = i < 2 ? "enabled" : "failed";
      await t.waitForEvent(
        "system.module.state",
        (e) => stateOf(e).module === "crashy" && stateOf(e).state === expected,
        10_000,
      );
    }
    const info = t.host.registry.info("crashy");
    expect(info.state).toBe("failed");
    expect(info.reason).toMatch(/exited with code 3 \(3 failures within 60 s; left stopped/);
    t.chat("!greet", { login: "ada" });
    await t.waitForMessage("Hello Ada! 👋");
    // A reload (the developer saved a fix) brings a failed module back, with a fresh crash budget.
    expect((await t.host.registry.reload("crashy")).ok).toBe(true);
    expect(t.host.registry.info("crashy")).toMatchObject({ state: "enabled", reason: null });
    t.chat("!alive");
    await t.waitForMessage("crashy is alive");
  });

  it("ctx.db runs the module's migrations and persists rows; ctx.jobs runs on the pool; config is validated", async () => {
    t = await createTestHost({
      modules: [fixture("storekeeper")],
      settings: { storekeeper: { config: { award: 7 } } },
    });
    t.chat("!award", { login: "ada" });
    await t.waitForMessage("ada has 7 points");
    t.chat("!award", { login: "ada" });
    await t.waitForMessage("ada has 14 points");
    t.chat("!words one two  three");
    await t.waitForMessage("3 words");
    await t.close();

    t = await createTestHost({
      modules: [fixture("storekeeper")],
      settings: { storekeeper: { config: { award: -1 } } },
    });
    const info = t.host.registry.info("storekeeper");
    expect(info.state).toBe("failed");
    expect(info.reason).toContain("modules.storekeeper.config.award");
  });
});
