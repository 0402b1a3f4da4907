import { createTestHost, type TestHost } from "@starstreamer/testing";
import { afterEach, describe, expect, it } from "vitest";
import { chaosFixture, sentTexts } from "./chaos-kit.ts";

// Issue 8, "The main thread belongs to the host": what a viewer types cannot stall it or swamp it.

let t: TestHost | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
}, 60_000);

/** Sends a chat line; returns "accepted", or the code it was refused with. */
function attempt(host: TestHost, text: string): string {
  try {
    host.chat(text);
    return "accepted";
  } catch (error) {
    return (error as { code?: string }).code ?? `threw without a code: ${(error as Error).message}`;
  }
}

describe("8.10 a regex trigger with catastrophic backtracking and a viewer's 30 a's", () => {
  it("the host stays responsive (or the module is refused at load with a clear error)", async () => {
    t = await createTestHost({ modules: [chaosFixture("backtrack"), chaosFixture("pinger")] });
    const backtrack = t.host.registry.info("backtrack");
    if (backtrack.state === "failed") {
      // The other acceptable answer: an engine that refuses the construct says so at load.
      expect(backtrack.reason).toMatch(/regex|SS_TRIGGER/i);
    } else {
      expect(backtrack.state).toBe("enabled");
      // The sentinel's clock starts before the hostile line: triggers run on this very thread, so
      // a line that blocks it for a minute lets this wait time out before the answer can arrive.
      const pong = t.waitForMessage("pong", { timeoutMs: 15_000 });
      setImmediate(() => {
        t?.chat(`${"a".repeat(30)}!`);
        t?.chat("!ping");
      });
      await pong;
      t.chat("aaaa");
      await t.waitForMessage("all a: 4", { timeoutMs: 10_000 });
    }
    t.chat("!ping");
    await t.waitForMessage("pong", { timeoutMs: 10_000 });
  }, 240_000);
});

describe("8.11 oversized chat lines and event payloads", () => {
  it("a 1 MB chat line and a 501-character one are refused; 500 characters pass", async () => {
    t = await createTestHost({ modules: [chaosFixture("measure")] });
    const outcomes = [attempt(t, "x".repeat(1_000_000)), attempt(t, "y".repeat(501))];
    for (const outcome of outcomes) expect(outcome).toMatch(/^(accepted|SS_[A-Z_]+)$/);
    t.chat("z".repeat(500));
    t.chat("ok");
    await t.waitForMessage("line of 2", { timeoutMs: 10_000 });
    expect(sentTexts(t)).toEqual(["line of 500", "line of 2"]);
  });

  it("a huge custom event is refused with a logged error, from a module and from the host side", async () => {
    t = await createTestHost({ modules: [chaosFixture("measure")] });
    t.chat("!blob");
    const fromModule = await t.waitForMessage(/^blob (refused|emitted)/, { timeoutMs: 20_000 });
    expect(fromModule.text).toMatch(/^blob refused: SS_[A-Z_]+$/);
    let fromHost = "accepted";
    try {
      t.emit("custom.measure.blob", { blob: "x".repeat(4 * 1024 * 1024) });
    } catch (error) {
      fromHost = (error as { code?: string }).code ?? "threw without a code";
    }
    expect(fromHost).toMatch(/^SS_[A-Z_]+$/);
    t.chat("ok");
    await t.waitForMessage("line of 2", { timeoutMs: 10_000 });
    expect(sentTexts(t).filter((text) => text.includes("arrived"))).toEqual([]);
    const logged = t.logs.items.filter(
      (r) => (r.level === "error" || r.level === "warn") && `${r.message}`.includes("custom.measure.blob"),
    );
    expect(logged.length).toBeGreaterThanOrEqual(1);
  }, 60_000);
});
