import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestHost, type TestHost } from "@starstreamer/testing";
import { afterEach, describe, expect, it } from "vitest";
import { chaosFixture, settle, waitForState, within } from "./chaos-kit.ts";

// Issue 8, "Bounded time": a stuck module costs the host a bounded wait, never the whole bot.

let t: TestHost | undefined;
const scratch: string[] = [];
afterEach(async () => {
  await t?.close();
  t = undefined;
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
}, 90_000);

/** A record of the log as text, message and fields together, to look for names and ids in. */
const asText = (record: { message: string; fields: Record<string, unknown> }) =>
  `${record.message} ${JSON.stringify(record.fields)}`;

describe("8.6 shutdown with one module stuck in a sync loop and an event queued for it", () => {
  it("host.close() returns, and the other module's shutdown still runs", async () => {
    const dir = mkdtempSync(join(tmpdir(), "starstreamer-chaos-"));
    scratch.push(dir);
    const marker = join(dir, "tidy-shut-down");
    t = await createTestHost({
      modules: [chaosFixture("tidy"), chaosFixture("wedged")],
      settings: { tidy: { config: { marker } } },
      // The watchdog would rescue the host by itself; keep it out of the way so close() has to.
      limits: { watchdogMs: 600_000, timeouts: { drain: 1000, shutdown: 1000 } },
    });
    t.chat("!wedge");
    t.chat("!wedge");
    // The worker posts "wedging" and enters its loop in the same turn: it never reads another message.
    await t.waitForMessage("wedging", { timeoutMs: 10_000 });
    // Where the host hands the second event to the stuck worker, let it: sent and never acknowledged
    // is the case that hung. A host that holds it back keeps it queued, and must be bounded too.
    await settle(() => t!.host.registry.info("wedged").queued === 0, 3000);
    await within(t.host.close(), 30_000, "host.close()");
    expect(existsSync(marker)).toBe(true);
  }, 60_000);
});

describe("8.7 a module whose initialize never returns", () => {
  it("does not delay the others: a healthy module serves while the slow one is still starting", async () => {
    t = await createTestHost({
      modules: [chaosFixture("hang-init"), chaosFixture("pinger")],
      start: false,
      limits: { timeouts: { start: 25_000 } },
    });
    const started = t.host.start();
    started.catch(() => {});
    await waitForState(t, "pinger", "enabled", 15_000);
    expect(t.host.registry.info("hang-init").state).toBe("loading");
    t.chat("!ping");
    await t.waitForMessage("pong", { timeoutMs: 10_000 });
  }, 60_000);
});

describe("8.9 the watchdog and the heap cap name what was running", () => {
  it("a watchdog kill log names the handler and the event id", async () => {
    t = await createTestHost({
      modules: [chaosFixture("spinner")],
      limits: { watchdogMs: 1000, crash: { backoffMs: 50 } },
    });
    const event = t.chat("!spin");
    const kill = await t.logs.waitFor(
      (r) => r.fields.module === "spinner" && /watchdog|event loop blocked/.test(r.message),
      20_000,
      "the watchdog kill log",
    );
    expect(asText(kill)).toContain("spinForever");
    expect(asText(kill)).toContain(event.id);
  }, 60_000);

  it("an out-of-memory log names the handler and the event id", async () => {
    t = await createTestHost({
      modules: [chaosFixture("spinner")],
      settings: { spinner: { maxHeapMb: 32 } },
      limits: { crash: { backoffMs: 50 } },
    });
    const event = t.chat("!gobble");
    const oom = await t.logs.waitFor(
      (r) => r.fields.module === "spinner" && /memory/i.test(r.message),
      30_000,
      "the out-of-memory log",
    );
    expect(asText(oom)).toContain("gobbleHeap");
    expect(asText(oom)).toContain(event.id);
  }, 60_000);

  it("a worker that boots slower than the watchdog limit is not killed while it boots", async () => {
    t = await createTestHost({
      modules: [chaosFixture("slow-boot")],
      limits: { watchdogMs: 1000, crash: { backoffMs: 50 } },
    });
    expect(t.host.registry.info("slow-boot")).toMatchObject({ state: "enabled", restarts: 0 });
    const reload = await t.host.registry.reload("slow-boot");
    expect(reload.ok).toBe(true);
    t.chat("!booted");
    await t.waitForMessage("slow-boot ready", { timeoutMs: 10_000 });
    expect(t.host.registry.info("slow-boot")).toMatchObject({ state: "enabled", restarts: 0 });
    expect(t.logs.items.filter((r) => /watchdog/.test(r.message)).map((r) => r.message)).toEqual([]);
  }, 60_000);
});
