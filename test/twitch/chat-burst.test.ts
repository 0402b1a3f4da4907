import { afterEach, describe, expect, it } from "vitest";
import { startTwitchHarness, type TwitchHarness } from "../../packages/plugins/src/twitch/test-harness.ts";

let h: TwitchHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe("chat burst (real twurple limiter against the fake Twitch)", () => {
  it("holds a burst of 200 to Twitch's limit for the broadcaster (100 per 30 s) and loses none", async () => {
    // A module allowed to queue all 200 (the default quota would refuse most of them, and say so).
    h = await startTwitchHarness({
      plugin: {
        chatQueue: { modules: { announcer: { maxQueued: 200 } }, share: { messages: 200, windowMs: 30_000 } },
      },
    });
    const twitch = h.plugin.forModule("announcer");
    const sends = Array.from({ length: 200 }, (_, i) => twitch.sendMessage(`burst ${i}`));
    await h.fake.waitForBotMessage("burst 99");
    // The 101st waits for Twitch's window to pass; meanwhile it waits in the queue, not lost.
    expect(h.plugin.chatStats().modules.announcer?.queued).toBeGreaterThan(0);
    await Promise.all(sends);
    await h.fake.waitForBotMessage("burst 199", { timeoutMs: 60_000 });
    const sent = h.fake.botMessages;
    expect(sent.map((m) => m.text)).toEqual(Array.from({ length: 200 }, (_, i) => `burst ${i}`));
    // No 30-second window holds more than 100 of them.
    for (let i = 0; i + 100 < sent.length; i++) {
      expect(sent[i + 100]!.at - sent[i]!.at, `messages ${i} and ${i + 100}`).toBeGreaterThanOrEqual(30_000);
    }
  }, 120_000);
});
