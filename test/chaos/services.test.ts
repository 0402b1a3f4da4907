import { cpSync, rmSync } from "node:fs";
import { join } from "node:path";
import { createTestHost, type TestHost } from "@starstreamer/testing";
import { afterEach, describe, expect, it } from "vitest";
import { chaosFixture, sentTexts, until } from "./chaos-kit.ts";

// Issue 8: calls between modules when the provider dies, goes away, reloads, or was never asked for.

let t: TestHost | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
}, 60_000);

const vaultModules = [chaosFixture("vault"), chaosFixture("vault-client")];

describe("8.4 a service call whose provider crashes mid-call", () => {
  for (const [how, limits] of [
    ["crash", { crash: { backoffMs: 2000 } }],
    ["hang", { watchdogMs: 1000, crash: { backoffMs: 2000 } }],
  ] as const) {
    it(`(${how}) rejects with SS_SERVICE_INTERRUPTED, never the crash text, and a call during the restart waits and succeeds`, async () => {
      t = await createTestHost({ modules: vaultModules, limits });
      t.chat(`!call-${how}`);
      const failed = await t.waitForMessage(new RegExp(`^${how} (failed|returned)`), { timeoutMs: 20_000 });
      expect(failed.text).toBe(`${how} failed: SS_SERVICE_INTERRUPTED`);
      const message = await t.waitForMessage(new RegExp(`^${how} message: `), { timeoutMs: 5000 });
      expect(message.text).not.toMatch(/exited with code|event loop blocked|watchdog/);
      // The provider is getting its worker back (a 2 s backoff): a call now waits for it.
      expect(t.host.registry.info("vault").state).toBe("restarting");
      t.chat("!get");
      const got = await t.waitForMessage(/^(got|get failed)/, { timeoutMs: 20_000 });
      expect(got.text).toBe("got 0");
      expect(t.host.registry.info("vault")).toMatchObject({ state: "enabled", restarts: 1 });
    }, 60_000);
  }
});

describe("8.5 a provider's folder removed and restored", () => {
  it("unloads the provider with its dependents, and brings the dependents back with it", async () => {
    t = await createTestHost({ modules: vaultModules });
    const folder = join(t.modulesDir, "vault");
    rmSync(folder, { recursive: true, force: true });
    const removed = await t.host.applyChange("vault");
    expect(removed).toMatchObject({ action: "unloaded", also: ["vault-client"] });
    expect(t.host.registry.info("vault").state).toBe("unloaded");
    expect(t.host.registry.info("vault-client").state).toBe("unloaded");

    cpSync(chaosFixture("vault"), folder, { recursive: true });
    const restored = await t.host.applyChange("vault");
    expect(restored).toMatchObject({ action: "loaded" });
    expect(t.host.registry.info("vault").state).toBe("enabled");
    expect(t.host.registry.info("vault-client").state).toBe("enabled");
    t.chat("!get");
    await t.waitForMessage("got 0", { timeoutMs: 10_000 });
  }, 60_000);
});

describe("8.8 reloading a provider under steady service traffic", () => {
  it("retires each old worker while calls keep coming, and every call succeeds", async () => {
    t = await createTestHost({ modules: vaultModules, limits: { timeouts: { drain: 3000 } } });
    t.chat("!hammer");
    await t.waitForMessage("hammering", { timeoutMs: 10_000 });
    const first = await t.host.registry.reload("vault");
    const second = await t.host.registry.reload("vault");
    expect([first.ok, second.ok]).toEqual([true, true]);
    // Both replaced workers run their shutdown while the client still hammers the new one.
    await until(
      () => sentTexts(t!).filter((text) => /^vault \w+ shut down$/.test(text)).length >= 2,
      20_000,
      "both old vault workers to shut down",
    );
    t.chat("!stop");
    const done = await t.waitForMessage(/^hammer done/, { timeoutMs: 20_000 });
    expect(done.text).toMatch(/^hammer done ok=[1-9]\d* failed=0 \[\]$/);
    const stuck = t.logs.items.filter((r) => r.message.includes("service calls still running"));
    expect(stuck.map((r) => r.message)).toEqual([]);
  }, 90_000);

  // Found while writing the test above: a call that reaches the old worker after its snapshot was
  // taken changes state the new worker never sees. The caller was told it succeeded.
  it("every call that succeeded across five reloads is in the state the new worker carries", async () => {
    t = await createTestHost({ modules: vaultModules });
    t.chat("!hammer");
    await t.waitForMessage("hammering", { timeoutMs: 10_000 });
    for (let i = 0; i < 5; i++) expect((await t.host.registry.reload("vault")).ok).toBe(true);
    t.chat("!stop");
    const done = await t.waitForMessage(/^hammer done/, { timeoutMs: 20_000 });
    const ok = Number(/ok=(\d+) failed=0 /.exec(done.text)?.[1]);
    expect(ok).toBeGreaterThan(0);
    t.chat("!vault");
    const holds = await t.waitForMessage(/^vault holds/, { timeoutMs: 10_000 });
    expect(holds.text).toBe(`vault holds ${ok}`);
  }, 90_000);
});

describe("8.13 a module calls a service it did not list in requires", () => {
  it("is refused through ctx.services and through its host port, and the provider is never called", async () => {
    t = await createTestHost({ modules: [chaosFixture("vault"), chaosFixture("sneak")] });
    t.chat("!sneak-ctx");
    const viaCtx = await t.waitForMessage(/^ctx: /, { timeoutMs: 10_000 });
    expect(viaCtx.text).toMatch(/^ctx: refused (SS_SERVICE_NOT_REQUIRED|SS_SERVICE_MISSING)$/);
    t.chat("!sneak-port");
    const viaPort = await t.waitForMessage(/^port: /, { timeoutMs: 10_000 });
    // Hidden (8.14) or refused on the main thread: either way the call does not go through.
    expect(viaPort.text).toMatch(/^port: (unreachable|refused SS_SERVICE_NOT_REQUIRED)$/);
    t.chat("!vault");
    await t.waitForMessage(/^vault holds/, { timeoutMs: 10_000 });
    expect(sentTexts(t)).toContain("vault holds 0");
  });
});
