import { StarStreamerError } from "starstreamer";
import { afterEach, describe, expect, it } from "vitest";
import { PluginErrorCodes } from "../errors.ts";
import { startTwitchHarness, type TwitchHarness } from "./test-harness.ts";

let h: TwitchHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function rejection(promise: Promise<unknown>): Promise<StarStreamerError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(StarStreamerError);
    return error as StarStreamerError;
  }
  throw new Error("expected a rejection");
}

describe("Twitch plugin: Helix for modules (real twurple against the fake Twitch)", () => {
  it("reports the stream for uptime, null when offline", async () => {
    h = await startTwitchHarness();
    const twitch = h.plugin.forModule("uptime");
    expect(await twitch.getStreamInfo()).toBeNull();
    h.fake.goLive({
      title: "Speedrun",
      gameName: "Celeste",
      viewerCount: 77,
      startedAt: "2026-11-29T18:00:00.000Z",
    });
    expect(await twitch.getStreamInfo()).toMatchObject({
      title: "Speedrun",
      gameName: "Celeste",
      viewerCount: 77,
      startedAt: "2026-11-29T18:00:00.000Z",
      tags: ["English"],
    });
    expect(h.fake.helix.calls.items.at(-1)).toMatchObject({ method: "GET", path: "/streams", userId: "1" });
  });

  it("creates a clip when live and passes Twitch's refusal on as a typed error when not", async () => {
    h = await startTwitchHarness();
    const twitch = h.plugin.forModule("clips");
    const offline = await rejection(twitch.createClip());
    expect(offline.code).toBe(PluginErrorCodes.TWITCH_API_FAILED);
    expect(offline.data).toEqual({
      status: 404,
      message: "The broadcaster is not live",
      endpoint: "createClip",
    });
    h.fake.goLive();
    expect(await twitch.createClip()).toEqual({
      id: "FakeClip1",
      url: "https://clips.twitch.tv/FakeClip1",
      editUrl: "https://clips.twitch.tv/FakeClip1/edit",
    });
  });

  it("looks users up by login and checks chatters, moderators and VIPs", async () => {
    h = await startTwitchHarness();
    const twitch = h.plugin.forModule("mod-tools");
    const mod = h.fake.user("modder", { moderator: true });
    const vip = h.fake.user("vippy", { vip: true });
    expect(await twitch.getUserByLogin("@Modder")).toMatchObject({
      id: mod.id,
      login: "modder",
      displayName: "Modder",
    });
    expect(await twitch.getUserByLogin("nobody_here")).toBeNull();
    h.fake.chat("hi", { user: "ada" });
    expect(await twitch.getChatters()).toEqual([
      { id: h.fake.user("ada").id, login: "ada", displayName: "Ada" },
    ]);
    expect(await twitch.isModerator(mod.id)).toBe(true);
    expect(await twitch.isModerator(vip.id)).toBe(false);
    expect(await twitch.isVip(vip.id)).toBe(true);
    const bad = await rejection(twitch.isVip("not-a-number"));
    expect(bad.data).toMatchObject({ status: 400, endpoint: "isVip" });
  });

  it("shouts out, announces, times out and bans as the broadcaster", async () => {
    h = await startTwitchHarness();
    const twitch = h.plugin.forModule("moderation");
    const friend = h.fake.user("friend");
    const troll = h.fake.user("troll");
    h.fake.goLive();
    await twitch.shoutout(friend.id);
    await twitch.sendAnnouncement("Giveaway at 8!", { color: "purple" });
    await twitch.timeout(troll.id, 600, "spam");
    await twitch.ban(troll.id, "again");
    expect(h.fake.helix.shoutouts.items).toEqual([friend.id]);
    expect(h.fake.helix.announcements.items).toEqual([{ message: "Giveaway at 8!", color: "purple" }]);
    expect(h.fake.helix.bans.items).toEqual([
      { userId: troll.id, durationSeconds: 600, reason: "spam" },
      { userId: troll.id, durationSeconds: null, reason: "again" },
    ]);
    const tooLong = await rejection(twitch.timeout(troll.id, 0));
    expect(tooLong.message).toMatch(/from 1 to 1209600/);
  });

  it("carries Twitch's status and message in the error, and never a token", async () => {
    const token = "verysecretbroadcastertoken";
    h = await startTwitchHarness({ env: { TWITCH_ACCESS_TOKEN: token } });
    h.fake.helix.failures.set("POST /chat/announcements", { status: 429, message: "Too many announcements" });
    h.fake.helix.failures.set("GET /users", { status: 400, message: `bad request for token ${token}` });
    const twitch = h.plugin.forModule("announcer");
    const limited = await rejection(twitch.sendAnnouncement("hello"));
    expect(limited.code).toBe(PluginErrorCodes.TWITCH_API_FAILED);
    expect(limited.data).toEqual({
      status: 429,
      message: "Too many announcements",
      endpoint: "sendAnnouncement",
    });
    const echoed = await rejection(twitch.getUserByLogin("ada"));
    expect(JSON.stringify({ message: echoed.message, data: echoed.data })).not.toContain(token);
  });

  it("names the scope a call needs when the login lacks it", async () => {
    h = await startTwitchHarness({
      fake: { acceptAnyToken: false },
      settings: (fake) => ({
        kind: "mock",
        clientId: "test-client",
        channel: "streamer",
        broadcaster: {
          accessToken: fake.issueToken("streamer", { scopes: ["chat:read", "chat:edit"] }).accessToken,
          refreshToken: null,
        },
        bot: null,
        mockPort: fake.port,
      }),
    });
    h.fake.goLive();
    const error = await rejection(h.plugin.forModule("clips").createClip());
    expect(error.code).toBe(PluginErrorCodes.TWITCH_MISSING_SCOPE);
    expect(error.data).toMatchObject({ endpoint: "createClip", scopes: ["clips:edit"] });
    expect(error.message).toMatch(/npx starstreamer auth/);
  });
});
