import { fileURLToPath } from "node:url";
import { pluginFromObject } from "@starstreamer/runtime";
import { createTestHost, FakeTwitch, type TestHost } from "@starstreamer/testing";
import { type ClipInfo, StarStreamerError, type StreamInfo } from "starstreamer";
import { afterEach, describe, expect, it } from "vitest";

const chatDir = fileURLToPath(new URL(".", import.meta.url));
const rpgDir = fileURLToPath(new URL("../rpg", import.meta.url));
const manyCommands = fileURLToPath(new URL("../../test/modules/fixtures/manycommands", import.meta.url));

let t: TestHost | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const said = (host: TestHost) => host.twitch.sent.items.map((m) => m.text);

function liveStream(startedAgoMs: number): StreamInfo {
  return {
    id: "1",
    title: "Building a bot",
    gameId: "509670",
    gameName: "Science & Technology",
    viewerCount: 42,
    startedAt: new Date(Date.now() - startedAgoMs).toISOString(),
    language: "en",
    tags: [],
    isMature: false,
    thumbnailUrl: "https://example.invalid/{width}x{height}.jpg",
  };
}

/** The test kit's fake Twitch, whose Helix calls can be made to fail the way the real plugin's do. */
class RefusingTwitch extends FakeTwitch {
  clipError: StarStreamerError | null = null;
  streamError: StarStreamerError | null = null;

  override async createClip(options?: { hasDelay?: boolean }): Promise<ClipInfo> {
    if (this.clipError) throw this.clipError;
    return super.createClip(options);
  }

  override async getStreamInfo(): Promise<StreamInfo | null> {
    if (this.streamError) throw this.streamError;
    return super.getStreamInfo();
  }
}

const helixRefusal = (status: number, message: string) =>
  new StarStreamerError("SS_TWITCH_API_FAILED", `Twitch createClip failed (${status}): ${message}`, {
    data: { status, message, endpoint: "createClip" },
  });
const offlineChat = (method: string) =>
  new StarStreamerError("SS_TWITCH_NOT_AVAILABLE_OFFLINE", `twitch.${method} is not available offline`, {
    data: { module: "chat", method },
  });

describe("chat module with its default config (real worker)", () => {
  it("greets with !hello and answers !ping with the handling latency", async () => {
    t = await createTestHost({ modules: [chatDir] });
    t.chat("!hello", { login: "ada" });
    await t.waitForMessage("Hello Ada! 👋");
    t.chat("!ping", { login: "ada" });
    const pong = await t.waitForMessage(/^@Ada pong/);
    expect(pong.text).toMatch(/^@Ada pong \(\d+ ms\)$/);
  });

  it("says how long the stream has been live, or that it is offline", async () => {
    t = await createTestHost({ modules: [chatDir] });
    t.chat("!uptime");
    await t.waitForMessage("The stream is offline.");
    t.twitch.stream = liveStream(3_900_000);
    t.chat("!uptime");
    await t.waitForMessage("The stream has been live for 1h 5m.");
  });

  it("clips a live stream and posts the link, then holds further clips for the cooldown", async () => {
    t = await createTestHost({ modules: [chatDir] });
    t.twitch.stream = liveStream(60_000);
    t.chat("!clip", { login: "ada" });
    await t.waitForMessage("@Ada clip created: https://clips.twitch.tv/FakeClip1");
    t.chat("!clip", { login: "bo" });
    const wait = await t.waitForMessage(/^@Bo a clip was just made/);
    expect(wait.text).toMatch(/^@Bo a clip was just made; try again in [123]?\ds\.$/); // 30s less the time since
    expect(t.twitch.actions.items.map((a) => a.method)).toEqual(["createClip"]);
  });

  it("lists the commands of every enabled module in one message", async () => {
    t = await createTestHost({
      modules: [chatDir, rpgDir],
      settings: { chat: { config: { commands: { cooldown: {} } } } }, // no 10 s wait between the two lists
    });
    t.chat("!commands");
    const list = await t.waitForMessage(/^Commands/);
    expect(list.text).toBe(
      "Commands: !balance, !clip, !commands, !daily, !gamble, !give, !hello, !leaderboard, !ping, !uptime, !work",
    );
    // A disabled module's commands are not listed.
    await t.host.registry.disable("rpg");
    const since = t.twitch.sent.items.length;
    t.chat("!commands");
    const after = await t.waitForMessage(/^Commands/, { since });
    expect(after.text).toBe("Commands: !clip, !commands, !hello, !ping, !uptime");
  });

  it("splits a long command list into numbered messages of at most 500 characters", async () => {
    t = await createTestHost({ modules: [chatDir, manyCommands] });
    t.chat("!commands");
    const first = await t.waitForMessage(/^Commands \(1\/\d\)/);
    const total = Number(/\(1\/(\d)\)/.exec(first.text)![1]);
    expect(total).toBeGreaterThan(1);
    await t.waitForMessage(new RegExp(`^Commands \\(${total}/${total}\\)`));
    const messages = said(t).filter((text) => text.startsWith("Commands"));
    expect(messages).toHaveLength(total);
    for (const text of messages) expect(text.length).toBeLessThanOrEqual(500);
    const listed = messages.flatMap((text) => text.replace(/^Commands \(\d\/\d\): /, "").split(", "));
    expect(listed).toHaveLength(45);
    expect(listed).toContain("!quite-a-long-command-name-00 (moderator)");
    expect(listed).toContain("!quite-a-long-command-name-39");
    expect(listed).toContain("!hello");
  });
});

describe("chat module when Twitch refuses", () => {
  async function startRefusing(): Promise<{ host: TestHost; twitch: RefusingTwitch }> {
    const twitch = new RefusingTwitch();
    twitch.stream = liveStream(60_000);
    const host = await createTestHost({
      modules: [chatDir],
      plugins: [pluginFromObject("twitch", twitch)],
      settings: { chat: { config: { clip: { cooldown: {} } } } },
    });
    t = host;
    return { host, twitch };
  }

  it("says the stream is offline (no stream, or 404), clips are disabled (403), and what the offline chat cannot do", async () => {
    const { host, twitch } = await startRefusing();
    const next = async (text: string) => {
      const since = twitch.sent.items.length;
      host.chat(text, { login: "ada" });
      return (await twitch.sent.waitFor(() => true, 5000, `an answer to ${text}`, since)).text;
    };
    twitch.stream = null;
    expect(await next("!clip")).toBe("@Ada the stream is offline, so there is nothing to clip.");
    expect(twitch.actions.items).toEqual([]); // not even tried
    twitch.stream = liveStream(60_000);
    twitch.clipError = helixRefusal(403, "Clips are disabled for this channel");
    expect(await next("!clip")).toBe("@Ada clips are disabled on this channel.");
    twitch.clipError = helixRefusal(404, "The broadcaster is not live");
    expect(await next("!clip")).toBe("@Ada the stream is offline, so there is nothing to clip.");
    twitch.clipError = helixRefusal(503, "Service Unavailable");
    expect(await next("!clip")).toBe("@Ada Twitch couldn't make a clip right now; try again in a moment.");
    twitch.streamError = offlineChat("getStreamInfo");
    expect(await next("!clip")).toBe("@Ada clips need Twitch; the offline chat can't make one.");
    expect(await next("!uptime")).toBe("I can't see the stream from the offline chat: uptime needs Twitch.");
    twitch.streamError = helixRefusal(500, "Internal Server Error");
    expect(await next("!uptime")).toBe("I couldn't ask Twitch about the stream; try again in a moment.");
  });
});

describe("chat module configuration", () => {
  it("uses its own prefix, aliases, per-command enable, user level, a silent and a notifying cooldown", async () => {
    t = await createTestHost({
      modules: [chatDir],
      settings: {
        chat: {
          config: {
            prefix: "?",
            hello: { aliases: ["hi"], message: "Hey {user}!", cooldown: { user: "1h" } },
            ping: { enabled: false },
            uptime: { userLevel: "moderator" },
            commands: { cooldown: { user: "1h", notify: true } },
          },
        },
      },
    });
    t.chat("!hello", { login: "ada" }); // the bot's prefix is not this module's
    t.chat("?ping", { login: "ada" }); // disabled
    t.chat("?uptime", { login: "ada" }); // moderators only
    t.chat("?hi", { login: "ada" });
    await t.waitForMessage("Hey Ada!");
    t.chat("?hello", { login: "ada" }); // within Ada's cooldown: ignored
    t.chat("?uptime", { login: "mo", level: "moderator" }); // sentinel
    await t.waitForMessage("The stream is offline.");
    t.chat("?hello", { login: "bo" });
    await t.waitForMessage("Hey Bo!");
    t.chat("?commands", { login: "mo" });
    await t.waitForMessage("Commands: ?clip, ?commands, ?hello, ?uptime (moderator)"); // ping is off
    t.chat("?commands", { login: "mo" }); // notify: says how long to wait instead of listing again
    const wait = await t.waitForMessage(/^@Mo \?commands is cooling down/);
    expect(wait.text).toMatch(/^@Mo \?commands is cooling down; try again in (1h|59m 59s)\.$/);
    expect(said(t).slice(0, 3)).toEqual(["Hey Ada!", "The stream is offline.", "Hey Bo!"]);
    expect(said(t)).toHaveLength(5);
  });

  it("refuses a bad config at load, naming the field", async () => {
    t = await createTestHost({
      modules: [chatDir],
      settings: { chat: { config: { clip: { userLevel: "admin", cooldown: { global: "soon" } } } } },
    });
    const info = t.host.registry.info("chat");
    expect(info.state).toBe("failed");
    expect(info.reason).toMatch(/SS_CONFIG_INVALID|not valid/);
    expect(info.reason).toMatch(/clip/);
    expect(info.reason).toMatch(/user level is viewer, subscriber, vip, moderator or broadcaster/);
  });
});
