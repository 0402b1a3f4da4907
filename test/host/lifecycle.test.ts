import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestHost, type TestHost } from "@starstreamer/testing";
import { afterEach, describe, expect, it } from "vitest";
import { fixture, moduleDir } from "../paths.ts";

let t: TestHost | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const graph = ["base", "needs-base", "needs-ghost", "cycle-a", "cycle-b"].map(fixture);

describe("registry lifecycle", () => {
  it("loads dependencies first and reports missing and cyclic ones while the rest load", async () => {
    t = await createTestHost({ modules: [...graph, moduleDir("greeter")] });
    const stats = t.host.registry.stats();
    expect(stats).toMatchObject({ total: 6, loaded: 3, enabled: 3, failed: 3 });
    expect(t.host.registry.info("needs-ghost").reason).toMatch(/depends on "ghost"/);
    expect(t.host.registry.info("cycle-a").reason).toMatch(/dependency cycle: cycle-a -> cycle-b -> cycle-a/);
    const loadedOrder = t.logs.items
      .filter((r) => r.message.startsWith("loaded "))
      .map((r) => r.fields.module);
    expect(loadedOrder.indexOf("base")).toBeLessThan(loadedOrder.indexOf("needs-base"));
    t.chat("!needs-base");
    await t.waitForMessage("needs-base here");
  });

  it("refuses to disable or unload a module others depend on, naming them, unless cascading", async () => {
    t = await createTestHost({ modules: [fixture("base"), fixture("needs-base")] });
    await expect(t.host.registry.disable("base")).rejects.toMatchObject({
      code: "SS_DEPENDENTS_ACTIVE",
      message: expect.stringContaining("needs-base depends on it"),
    });
    await expect(t.host.registry.unload("base")).rejects.toMatchObject({ code: "SS_DEPENDENTS_ACTIVE" });
    expect(await t.host.registry.disable("base", { cascade: true })).toEqual(["needs-base", "base"]);
    expect(t.host.registry.info("needs-base").state).toBe("disabled");
    // Routing is decided when an event is emitted: these two must find nobody to go to.
    t.chat("!base");
    t.chat("!needs-base");
    await t.host.registry.enable("base");
    await t.host.registry.enable("needs-base");
    // Sentinels: each module's queue is ordered, so a wrongly routed earlier message would answer first.
    t.chat("!base");
    t.chat("!needs-base");
    await t.waitForMessage("needs-base here");
    await t.waitForMessage("base here");
    expect(t.twitch.sent.items.map((m) => m.text).sort()).toEqual(["base here", "needs-base here"]);
    expect(await t.host.registry.unload("base", { cascade: true })).toEqual(["needs-base", "base"]);
    expect(t.host.registry.stats()).toMatchObject({ loaded: 0 });
    await t.host.registry.load("base");
    await t.host.registry.load("needs-base");
    t.chat("!needs-base");
    await t.waitForMessage("needs-base here", { since: 2 });
  });

  it("a disabled module stays disabled across a host restart", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "starstreamer-data-"));
    try {
      t = await createTestHost({ modules: [moduleDir("greeter")], dataDir });
      await t.host.registry.disable("greeter");
      await t.close();
      t = await createTestHost({ modules: [moduleDir("greeter")], dataDir });
      expect(t.host.registry.info("greeter")).toMatchObject({ state: "disabled", enabled: false });
      t.chat("!greet", { login: "ada" }); // must be ignored: the module is disabled
      await t.host.registry.enable("greeter");
      t.chat("!greet", { login: "bo" }); // sentinel
      await t.waitForMessage("Hello Bo! 👋");
      expect(t.twitch.sent.items.map((m) => m.text)).toEqual(["Hello Bo! 👋"]);
    } finally {
      await t?.close();
      t = undefined;
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("registers a module folder by hand and loads it", async () => {
    t = await createTestHost({});
    expect(t.host.registry.stats().total).toBe(0);
    const name = await t.host.registry.register(moduleDir("greeter"));
    await t.host.registry.load(name);
    t.chat("!greet", { login: "ada" });
    await t.waitForMessage("Hello Ada! 👋");
    await expect(t.host.registry.load("nope")).rejects.toMatchObject({ code: "SS_MODULE_NOT_FOUND" });
  });

  it("an initialize that never returns times out; a shutdown that never returns does not block unload", async () => {
    t = await createTestHost({
      modules: [fixture("stuck-init"), fixture("stuck-shutdown"), moduleDir("greeter")],
      limits: { timeouts: { start: 500, shutdown: 300 } },
    });
    expect(t.host.registry.info("stuck-init")).toMatchObject({ state: "failed" });
    expect(t.host.registry.info("stuck-init").reason).toMatch(/did not answer within 500 ms/);
    t.chat("!stuck");
    await t.waitForMessage("still here");
    expect(await t.host.registry.unload("stuck-shutdown")).toEqual(["stuck-shutdown"]);
    expect(t.host.registry.info("stuck-shutdown").state).toBe("unloaded");
    t.chat("!greet", { login: "ada" });
    await t.waitForMessage("Hello Ada! 👋");
  });
});
