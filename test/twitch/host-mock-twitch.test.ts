import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTwitchPlugin, resolveTwitchSettings, type TwitchPlugin } from "@starstreamer/plugins/twitch";
import { createHost, createLogger, type Host, type LogRecord } from "@starstreamer/runtime";
import {
  createFakeTwitch,
  FAKE_EVENTSUB_TYPES,
  type FakeEventSubType,
  type FakeTwitchServer,
  Recorder,
} from "@starstreamer/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { moduleDir } from "../paths.ts";

// The whole path: fake Twitch → real twurple in the Twitch plugin → the host's bus → module
// workers → ctx.twitch → the chat queue → twurple → the fake's IRC server.

let fake: FakeTwitchServer;
let plugin: TwitchPlugin;
let host: Host;
let root: string;
const logs = new Recorder<LogRecord>();

beforeAll(async () => {
  fake = await createFakeTwitch({ channel: "streamer" });
  root = mkdtempSync(join(tmpdir(), "ss-twitch-e2e-"));
  const modulesDir = join(root, "modules");
  cpSync(moduleDir("greeter"), join(modulesDir, "greeter"), {
    recursive: true,
    filter: (src) => !src.endsWith(".test.ts"),
  });
  cpSync(join(import.meta.dirname, "fixtures", "twitch-events"), join(modulesDir, "twitch-events"), {
    recursive: true,
  });
  plugin = createTwitchPlugin({ settings: resolveTwitchSettings({ env: fake.env })! });
  const logger = createLogger({
    level: "debug",
    write: process.env.STARSTREAMER_TEST_LOGS ? undefined : null,
  });
  logger.onRecord((record) => logs.push(record));
  host = await createHost({ modulesDir, dataDir: join(root, "data"), plugins: [plugin], logger });
  await host.start();
  await fake.waitForChatJoin();
  await fake.waitForSubscriptions(Object.keys(FAKE_EVENTSUB_TYPES));
});

afterAll(async () => {
  await host?.close();
  await fake?.close();
  rmSync(root, { recursive: true, force: true });
});

describe("the host with the Twitch plugin in mock mode", () => {
  it("joins the channel and answers the greeter's command", async () => {
    expect(host.pluginStatus().twitch).toMatchObject({ kind: "mock", state: "connected" });
    fake.chat("!greet", { user: "ada" });
    await fake.waitForBotMessage("Hello Ada! 👋");
  });

  it("delivers every EventSub type to a module handler as its domain event", async () => {
    const expected: Array<[FakeEventSubType, string]> = [
      ["channel.follow", "got twitch.follow from ada"],
      ["channel.subscribe", "got twitch.subscription tier 1000"],
      ["channel.subscription.gift", "got twitch.subscription.gift x1"],
      ["channel.subscription.message", "got twitch.resubscription 15 months"],
      ["channel.cheer", "got twitch.cheer 1000 bits"],
      ["channel.raid", "got twitch.raid 9001 viewers"],
      ["channel.hype_train.begin", "got twitch.hype_train.begin level 1"],
      ["channel.hype_train.progress", "got twitch.hype_train.progress level 2"],
      ["channel.hype_train.end", "got twitch.hype_train.end level 2"],
      ["channel.channel_points_custom_reward_redemption.add", "got twitch.redemption title"],
      ["stream.online", "got twitch.stream.online live"],
      ["stream.offline", "got twitch.stream.offline streamer"],
    ];
    for (const [type, reply] of expected) {
      fake.fire(type, {}, { user: "ada" });
      await fake.waitForBotMessage(reply);
    }
    // The greeter welcomes the follower too.
    await fake.waitForBotMessage("Welcome Ada! Thanks for following!");
  });

  it("hands a module Twitch's refusal as a typed error across the worker boundary", async () => {
    const id = fake.chat("!clip", { user: "ada" });
    const answer = await fake.waitForBotMessage(/^clip /);
    expect(answer).toMatchObject({ text: "clip failed: SS_TWITCH_API_FAILED 404", replyTo: id });
  });

  it("throttles a module that floods and tells it, while another module's reply still goes out", async () => {
    const since = fake.botMessages.length;
    fake.chat("!flood", { user: "ada" });
    fake.chat("!greet", { user: "bo" });
    await fake.waitForBotMessage("Hello Bo! 👋", { since });
    await logs.waitFor(
      (r) => /flood refused: SS_CHAT_QUOTA_EXCEEDED/.test(r.message),
      30_000,
      "the flooder being told",
    );
    await logs.waitFor(
      () => (plugin.chatStats().modules["twitch-events"]?.dropped ?? 0) > 9_000,
      30_000,
      "the drops",
    );
    expect(logs.items.some((r) => /twitch-events is sending faster than chat allows/.test(r.message))).toBe(
      true,
    );
    // The flooder may use the account's budget (100 per 30 s for the broadcaster) only down to the
    // reserve kept for other modules (a fifth of it).
    const floodSent = fake.botMessages.slice(since).filter((m) => m.text.startsWith("flood "));
    expect(floodSent.length).toBeLessThanOrEqual(80);
  });
});
