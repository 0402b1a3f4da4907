import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestHost, type TestHost } from "@starstreamer/testing";
import { afterEach, describe, expect, it } from "vitest";
import { chaosFixture, sentTexts, waitForState } from "./chaos-kit.ts";

// Issue 8, "Events and delivery": events are neither lost nor repeated, whatever a module does.

let t: TestHost | undefined;
const scratch: string[] = [];
afterEach(async () => {
  await t?.close();
  t = undefined;
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe("8.0 a flood of legitimate work at one busy module", () => {
  it("handles every event without the watchdog killing the busy worker", async () => {
    // 2,000 runs of 3 ms of synchronous work: about 6 s of CPU, far past the 1 s watchdog limit
    // if the worker takes its queue in big batches without returning to its event loop.
    const count = 2000;
    t = await createTestHost({
      modules: [chaosFixture("flood")],
      limits: { watchdogMs: 1000, crash: { backoffMs: 50 } },
    });
    for (let i = 0; i < count; i++) t.chat("!work");
    t.chat("!flood-count");
    const isKill = (r: { message: string; fields: Record<string, unknown> }) =>
      r.fields.module === "flood" && /watchdog|event loop blocked/.test(r.message);
    // Whichever comes first: the count, or the watchdog killing the busy worker.
    const done = t.waitForMessage(/^flood handled \d+$/, { timeoutMs: 90_000 });
    const killed = t.logs.waitFor(isKill, 90_000, "a watchdog kill");
    await Promise.race([done, killed]);
    done.catch(() => {});
    killed.catch(() => {});
    expect(t.logs.items.filter(isKill).map((r) => r.message)).toEqual([]);
    const reply = await t.waitForMessage(/^flood handled \d+$/, { timeoutMs: 1000 });
    expect(reply.text).toBe(`flood handled ${count}`);
    expect(t.host.registry.info("flood")).toMatchObject({ state: "enabled", restarts: 0, dropped: 0 });
  }, 120_000);
});

describe("8.1 events sent while a module restarts after a crash", () => {
  it("wait in the module's queue and all reach the new worker, none dropped", async () => {
    t = await createTestHost({
      modules: [chaosFixture("phoenix")],
      // A wide restart window, so every event below is sent while the module has no worker.
      limits: { crash: { backoffMs: 2000, maxFailures: 5 } },
    });
    t.chat("!die");
    await waitForState(t, "phoenix", "restarting", 15_000);
    expect(t.host.registry.info("phoenix").state).toBe("restarting");
    const sent = 40;
    for (let i = 0; i < sent; i++) t.chat("!tick");
    t.chat("!ticks");
    const reply = await t.waitForMessage(/^phoenix ticks \d+$/, { timeoutMs: 30_000 });
    expect(reply.text).toBe(`phoenix ticks ${sent}`);
    expect(t.host.registry.info("phoenix")).toMatchObject({ state: "enabled", restarts: 1, dropped: 0 });
  }, 60_000);
});

describe("8.2 the event whose handler killed its worker", () => {
  it("is not delivered again: 30 fatal messages sent at once give exactly 30 handler runs", async () => {
    const dir = mkdtempSync(join(tmpdir(), "starstreamer-chaos-"));
    scratch.push(dir);
    const runs = join(dir, "runs");
    writeFileSync(runs, "");
    t = await createTestHost({
      modules: [chaosFixture("kamikaze")],
      settings: { kamikaze: { config: { runs } } },
      limits: { crash: { maxFailures: 1000, windowMs: 600_000, backoffMs: 20, maxBackoffMs: 50 } },
    });
    const rounds = 30;
    // All at once: each worker takes a batch, dies in its first handler, and the host must tell
    // the entry that was running (never again) from those not started yet (for the next worker).
    const ids = Array.from({ length: rounds }, (_, i) => t!.chat(`!boom ${i + 1}`).id);
    t.chat("!kamikaze-alive");
    await t.waitForMessage("kamikaze alive", { timeoutMs: 90_000 });
    const ran = readFileSync(runs, "utf8").split("\n").filter(Boolean);
    expect(ran).toEqual(Array.from({ length: rounds }, (_, i) => String(i + 1)));
    expect(t.host.registry.info("kamikaze")).toMatchObject({
      state: "enabled",
      restarts: rounds,
      dropped: 0,
    });
    // Each death is logged with the handler and the event that was running (the rule, made visible).
    const deaths = t.logs.items.filter((r) => r.fields.module === "kamikaze" && r.level === "error");
    const named = ids.filter((id) =>
      deaths.some(
        (r) => r.fields.handler === "boom" && `${r.message} ${JSON.stringify(r.fields)}`.includes(id),
      ),
    );
    expect(named).toEqual(ids);
  }, 180_000);
});

describe("8.3 a function trigger next to a cooldown", () => {
  it("a rejected event does not hold the cooldown: `!even 3` then `!even 4` at once answers 4", async () => {
    t = await createTestHost({ modules: [chaosFixture("evens")] });
    t.chat("!even 3");
    t.chat("!even 4");
    await t.waitForMessage("even 4", { timeoutMs: 10_000 });
    // The cooldown was taken by the event that passed: the next even number waits a minute.
    t.chat("!even 6");
    t.chat("!evens-ping");
    await t.waitForMessage("evens pong", { timeoutMs: 10_000 });
    expect(sentTexts(t)).toEqual(["even 4", "evens pong"]);
  });

  it("an event that passes takes the cooldown even while an earlier verdict is pending: 3, 4, 6 at once answer 4 only", async () => {
    t = await createTestHost({ modules: [chaosFixture("evens")] });
    t.chat("!even 3");
    t.chat("!even 4");
    t.chat("!even 6");
    t.chat("!evens-ping");
    await t.waitForMessage("even 4", { timeoutMs: 10_000 });
    await t.waitForMessage("evens pong", { timeoutMs: 10_000 });
    // A second round trip: everything delivered before the first sentinel has been decided by now.
    t.chat("!evens-ping");
    await t.waitForMessage("evens pong", {
      timeoutMs: 10_000,
      since: sentTexts(t).indexOf("evens pong") + 1,
    });
    expect(sentTexts(t).sort()).toEqual(["even 4", "evens pong", "evens pong"]);
  });
});
