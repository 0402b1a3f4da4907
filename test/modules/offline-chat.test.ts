import { createLocalChat, type LocalChat } from "@starstreamer/plugins";
import { createTestHost, Recorder, type TestHost } from "@starstreamer/testing";
import { afterEach, describe, expect, it } from "vitest";
import { auditEconomy, chatDir, rpgDir } from "./economy-kit.ts";

let t: TestHost | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe("the chat and rpg modules in the offline (local) chat", () => {
  it("lets a new viewer work, check, give to a friend, gamble, collect a daily, and see every everyday command", async () => {
    let host: TestHost | undefined;
    const chat: LocalChat = createLocalChat({
      emit: (type, data, source) => host?.host.emit(type, data, source),
      chatQueue: { accountLimit: { messages: 1000, windowMs: 1000 } },
    });
    const bot = new Recorder<string>();
    chat.onOutput((output) => {
      if (output.kind === "bot") bot.push(output.text);
    });
    host = await createTestHost({
      modules: [chatDir, rpgDir],
      plugins: [chat],
      settings: { rpg: { config: { work: { min: 20, max: 20 }, gamble: { winChance: 1 } } } },
    });
    t = host;
    const say = async (line: string, answer: string | RegExp) => {
      const since = bot.items.length;
      await chat.input(line);
      const test = (text: string) => (typeof answer === "string" ? text === answer : answer.test(text));
      return bot.waitFor(test, 10_000, `${String(answer)} after ${line}`, since);
    };

    await say("/as newbie !work", "@Newbie you worked and earned 20 coins! You have 20 coins.");
    await say("/as newbie !balance", "@Newbie you have 20 coins.");
    // Offline there is no Twitch to look a name up: someone who has chatted counts.
    await say(
      "/as newbie !give @pal 5",
      "@Newbie I don't know pal yet: they need to say something in chat first.",
    );
    await say("/as pal !hello", "Hello Pal! 👋");
    await say("/as newbie !give @pal 5", "@Newbie You gave 5 coins to Pal. You have 15 coins left.");
    await say("/as newbie !gamble 5", "@Newbie You bet 5 coins and won 5 coins! You have 20 coins.");
    await say("/as newbie !daily", "@Newbie daily reward: 100 coins! You have 120 coins.");
    await say("/as newbie !leaderboard", "🏆 Top 2: 1. newbie (120 coins) | 2. pal (5 coins)");
    await say("/as newbie !commands", /^Commands: !balance, !clip, !commands, !daily, .*!work$/);
    await say("/as newbie !hello", "Hello Newbie! 👋");
    await say("/as newbie !ping", /^@Newbie pong \(\d+ ms\)$/);
    await say("/as newbie !uptime", "I can't see the stream from the offline chat: uptime needs Twitch.");
    await say("/as newbie !clip", "@Newbie clips need Twitch; the offline chat can't make one.");
    const audit = auditEconomy(host);
    expect(audit.balances).toEqual({ newbie: 120, pal: 5 });
    expect(audit.sumOfBalances).toBe(audit.sumOfLedger);
  });
});
