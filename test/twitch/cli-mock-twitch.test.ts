import { createFakeTwitch, type FakeTwitchServer } from "@starstreamer/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanupCli, makeProject, startCli } from "../cli/cli-process.ts";

// Issue 11's "done when": `npx starstreamer start` with TWITCH_MOCK_PORT set to a fake Twitch joins
// the channel and answers a greeter command, through real twurple in a real CLI process.

let fake: FakeTwitchServer;

beforeAll(async () => {
  fake = await createFakeTwitch({ channel: "streamer" });
});

afterAll(async () => {
  await cleanupCli();
  await fake?.close();
});

describe("starstreamer start against a mock Twitch", () => {
  it("joins the channel, says the chat is the mock in the banner, and answers !greet", async () => {
    const cli = startCli(["start"], makeProject(), fake.env);
    await cli.waitFor(/StarStreamer start ready/, { timeoutMs: 60_000 });
    expect(cli.output).toMatch(/twitch\s+.*mock/i);
    await fake.waitForChatJoin({ timeoutMs: 30_000 });
    fake.chat("!greet", { user: "ada" });
    const sent = await fake.waitForBotMessage(/Hello Ada/i, { timeoutMs: 30_000 });
    expect(sent.text).toMatch(/^Hello Ada/i);
    cli.kill();
    await cli.exited;
  }, 120_000);
});
