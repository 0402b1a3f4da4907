import { FAKE_EVENTSUB_TYPES, type FakeEventSubType } from "@starstreamer/testing";
import { afterEach, describe, expect, it } from "vitest";
import { EVENTSUB_TOPICS } from "./eventsub-mapping.ts";
import { startTwitchHarness, type TwitchHarness } from "./test-harness.ts";

let h: TwitchHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const ALL = Object.keys(FAKE_EVENTSUB_TYPES) as FakeEventSubType[];

async function started(options?: Parameters<typeof startTwitchHarness>[0]): Promise<TwitchHarness> {
  h = await startTwitchHarness(options);
  return h;
}

describe("Twitch plugin: EventSub (real twurple against the fake Twitch)", () => {
  it("subscribes to every topic with the version Twitch documents", async () => {
    const t = await started();
    await t.fake.waitForSubscriptions(ALL);
    const subs = t.fake.eventSub.subscriptions;
    for (const type of ALL) {
      expect(subs.find((s) => s.type === type)?.version, type).toBe(FAKE_EVENTSUB_TYPES[type].version);
      expect(EVENTSUB_TOPICS[type]?.version, type).toBe(FAKE_EVENTSUB_TYPES[type].version);
    }
    expect(subs.find((s) => s.type === "channel.follow")?.condition).toEqual({
      broadcaster_user_id: "1",
      moderator_user_id: "1",
    });
    expect(subs.find((s) => s.type === "channel.raid")?.condition).toEqual({ to_broadcaster_user_id: "1" });
  });

  const ada = { id: "", login: "ada", displayName: "Ada" };
  const streamer = { id: "1", login: "streamer", displayName: "Streamer" };
  const cases: Array<
    [FakeEventSubType, Record<string, unknown>, string, (adaId: string) => Record<string, unknown>]
  > = [
    [
      "channel.follow",
      { followed_at: "2026-11-29T20:00:00.000Z" },
      "twitch.follow",
      (id) => ({
        user: { ...ada, id },
        followedAt: "2026-11-29T20:00:00.000Z",
      }),
    ],
    [
      "channel.subscribe",
      { tier: "2000" },
      "twitch.subscription",
      (id) => ({
        user: { ...ada, id },
        tier: "2000",
        isGift: false,
      }),
    ],
    [
      "channel.subscription.gift",
      { total: 5, cumulative_total: 40 },
      "twitch.subscription.gift",
      (id) => ({
        user: { ...ada, id },
        isAnonymous: false,
        tier: "1000",
        total: 5,
        cumulativeTotal: 40,
      }),
    ],
    [
      "channel.subscription.message",
      {},
      "twitch.resubscription",
      (id) => ({
        user: { ...ada, id },
        tier: "1000",
        months: 15,
        streakMonths: 1,
        durationMonths: 1,
        message: "Love the stream! FevziGG",
      }),
    ],
    [
      "channel.cheer",
      { bits: 500, message: "Cheer500 go!" },
      "twitch.cheer",
      (id) => ({
        user: { ...ada, id },
        isAnonymous: false,
        bits: 500,
        message: "Cheer500 go!",
      }),
    ],
    ["channel.raid", { viewers: 321 }, "twitch.raid", (id) => ({ from: { ...ada, id }, viewers: 321 })],
    [
      "channel.hype_train.begin",
      {},
      "twitch.hype_train.begin",
      (id) => ({
        id: "1b0AsbInCHZW2SQFQkCzqN07Ib2",
        level: 1,
        total: 137,
        progress: 137,
        goal: 500,
        topContributions: [{ user: { ...ada, id }, type: "bits", total: 100 }],
      }),
    ],
    [
      "channel.hype_train.progress",
      {},
      "twitch.hype_train.progress",
      () => ({ level: 2, total: 700, progress: 200, goal: 1000 }),
    ],
    ["channel.hype_train.end", {}, "twitch.hype_train.end", () => ({ level: 2, total: 137 })],
    [
      "channel.channel_points_custom_reward_redemption.add",
      {},
      "twitch.redemption",
      (id) => ({
        user: { ...ada, id },
        reward: {
          id: "92af127c-7326-4483-a52b-b0da0be61c01",
          title: "title",
          cost: 100,
          prompt: "reward prompt",
        },
        input: "pogchamp",
        status: "unfulfilled",
      }),
    ],
    [
      "stream.online",
      { started_at: "2026-11-29T19:00:00.000Z" },
      "twitch.stream.online",
      () => ({
        broadcaster: streamer,
        type: "live",
        startedAt: "2026-11-29T19:00:00.000Z",
      }),
    ],
    ["stream.offline", {}, "twitch.stream.offline", () => ({ broadcaster: streamer })],
  ];

  it("turns every documented notification into its domain event with camelCase data", async () => {
    const t = await started();
    await t.fake.waitForSubscriptions(ALL);
    const adaId = t.fake.user("ada").id;
    for (const [type, overrides, event, expected] of cases) {
      t.fake.fire(type, overrides, { user: "ada" });
      const published = await t.event(event);
      expect(published.data, type).toMatchObject(expected(adaId));
      expect(published.source).toBe("twitch");
    }
    expect(t.events.items.filter((e) => !e.type.startsWith("twitch.connection")).map((e) => e.type)).toEqual(
      cases.map(([, , event]) => event),
    );
  });

  it("maps anonymous gifts and cheers to a null user", async () => {
    const t = await started();
    await t.fake.waitForSubscriptions(["channel.cheer", "channel.subscription.gift"]);
    const anonymous = { is_anonymous: true, user_id: null, user_login: null, user_name: null };
    t.fake.fire("channel.cheer", anonymous);
    t.fake.fire("channel.subscription.gift", { ...anonymous, cumulative_total: null });
    expect((await t.event("twitch.cheer")).data).toMatchObject({ user: null, isAnonymous: true });
    const gift = await t.event("twitch.subscription.gift");
    expect(gift.data).toMatchObject({ user: null, isAnonymous: true, total: 1 });
    expect(gift.data).not.toHaveProperty("cumulativeTotal");
  });

  it("handles the same notification delivered twice only once", async () => {
    const t = await started();
    await t.fake.waitForSubscriptions(["channel.follow", "channel.raid"]);
    const { messageId } = t.fake.fire("channel.follow", {}, { user: "ada" });
    t.fake.fire("channel.follow", {}, { user: "ada", messageId });
    t.fake.fire("channel.raid", {}, { user: "sentinel" });
    await t.event("twitch.raid");
    expect(t.events.items.filter((e) => e.type === "twitch.follow")).toHaveLength(1);
  });

  it("moves to the new socket on session_reconnect without losing a notification", async () => {
    const t = await started();
    await t.fake.waitForSubscriptions(["channel.follow"]);
    t.fake.eventSub.requestReconnect();
    t.fake.fire("channel.follow", {}, { user: "during" });
    await t.fake.eventSub.frames.waitFor(
      (f) =>
        f.metadata.message_type === "session_welcome" &&
        t.fake.eventSub.frames.items.filter((x) => x.metadata.message_type === "session_welcome").length >= 2,
      10_000,
      "the welcome on the new socket",
    );
    t.fake.fire("channel.follow", {}, { user: "after" });
    await t.event("twitch.follow", (d) => (d.user as { login: string }).login === "after");
    const logins = t.events.items
      .filter((e) => e.type === "twitch.follow")
      .map((e) => (e.data.user as { login: string }).login);
    expect(logins).toEqual(["during", "after"]);
    expect(t.fake.eventSub.subscriptions.filter((s) => s.type === "channel.follow")).toHaveLength(1);
  });

  it("reports a revoked subscription and keeps the others working", async () => {
    const t = await started();
    await t.fake.waitForSubscriptions(["channel.follow", "channel.raid"]);
    expect(t.fake.eventSub.revoke("channel.follow", "authorization_revoked")).toBe(1);
    await t.logs.waitFor(
      (l) => /channel\.follow: revoked by Twitch/.test(l.message),
      10_000,
      "the revocation log",
    );
    expect(t.plugin.problems()["channel.follow"]).toBe("revoked by Twitch (authorization_revoked)");
    expect(t.plugin.status().detail).toMatch(/channel\.follow: revoked/);
    t.fake.fire("channel.raid", {}, { user: "still" });
    await t.event("twitch.raid");
  });

  it("names the missing scope of a subscription that fails and keeps the rest", async () => {
    const t = await started({
      fake: { acceptAnyToken: false },
      settings: (fake) => {
        const token = fake.issueToken("streamer", {
          scopes: [
            "chat:read",
            "chat:edit",
            "bits:read",
            "channel:read:subscriptions",
            "channel:read:hype_train",
            "channel:read:redemptions",
          ],
        });
        return {
          kind: "mock",
          clientId: "test-client",
          channel: "streamer",
          broadcaster: { accessToken: token.accessToken, refreshToken: null },
          bot: null,
          mockPort: fake.port,
        };
      },
    });
    await t.logs.waitFor(
      (l) => /channel\.follow: missing scope/.test(l.message),
      10_000,
      "the missing-scope report",
    );
    expect(t.plugin.problems()["channel.follow"]).toMatch(/missing scope moderator:read:followers/);
    await t.fake.waitForSubscriptions(["channel.raid", "channel.cheer"]);
    t.fake.fire("channel.cheer", {}, { user: "ada" });
    await t.event("twitch.cheer");
  });

  it("logs and drops malformed frames (bad JSON, unknown type, missing fields) and keeps delivering", async () => {
    const t = await started();
    await t.fake.waitForSubscriptions(["channel.follow", "channel.raid"]);
    t.fake.eventSub.sendRaw("{not json");
    t.fake.eventSub.sendRaw("null");
    t.fake.eventSub.sendRaw(JSON.stringify({ metadata: { message_type: "notification" } }));
    const sub = t.fake.eventSub.subscriptions.find((s) => s.type === "channel.follow")!;
    t.fake.eventSub.sendRaw(
      JSON.stringify({
        metadata: {
          message_id: "x1",
          message_type: "notification",
          message_timestamp: new Date().toISOString(),
        },
        payload: { subscription: { ...sub, type: "channel.nope" }, event: {} },
      }),
    );
    t.fake.fire("channel.follow", { user_login: undefined, user_id: 42 }, { user: "broken" });
    t.fake.fire("channel.raid", {}, { user: "sentinel" });
    await t.event("twitch.raid");
    const warnings = t.logs.items.filter((l) => l.level === "warn").map((l) => l.message);
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/malformed frame: not JSON/),
        expect.stringMatching(/malformed frame: no metadata/),
        expect.stringMatching(/notification of unknown type channel\.nope/),
        expect.stringMatching(/dropped a malformed channel\.follow notification/),
      ]),
    );
    expect(t.events.items.filter((e) => e.type === "twitch.follow")).toHaveLength(0);
    expect(t.plugin.status().connections?.eventsub).toBe("connected");
  });

  it("reconnects and subscribes again after the EventSub socket drops, publishing the states", async () => {
    const t = await started();
    await t.fake.waitForSubscriptions(["channel.raid"]);
    t.fake.dropEventSub();
    await t.event("twitch.connection.reconnecting", (d) => d.connection === "eventsub");
    const connected = () =>
      t.events.items.filter(
        (e) => e.type === "twitch.connection.connected" && e.data.connection === "eventsub",
      ).length;
    await t.events.waitFor(() => connected() >= 2, 30_000, "EventSub connected again");
    await t.fake.waitForSubscriptions(["channel.raid"], 30_000);
    t.fake.fire("channel.raid", {}, { user: "back" });
    await t.event("twitch.raid");
  });
});
