import { afterEach, describe, expect, it } from "vitest";
import { startTwitchHarness, type TwitchHarness } from "./test-harness.ts";
import { resolveTwitchSettings } from "./twitch-settings.ts";

let h: TwitchHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe("Twitch plugin: chat (real twurple against the fake Twitch)", () => {
  it("publishes a chat line with the user's ids, badges, level flags, emotes, first-message flag and bits", async () => {
    h = await startTwitchHarness();
    h.fake.chat("Kappa cheer100 hello", {
      user: "ada",
      level: "moderator",
      badges: { subscriber: "12" },
      color: "#1E90FF",
      firstMessage: true,
      bits: 100,
    });
    const { data, source } = await h.event("twitch.chat.message");
    expect(source).toBe("twitch");
    expect(data).toMatchObject({
      channel: "streamer",
      text: "Kappa cheer100 hello",
      bits: 100,
      firstMessage: true,
      isAction: false,
      emotes: [{ id: "25", start: 0, end: 4 }],
      user: {
        id: h.fake.user("ada").id,
        login: "ada",
        displayName: "Ada",
        color: "#1E90FF",
        badges: { moderator: "1", subscriber: "12" },
        isModerator: true,
        isSubscriber: true,
        isVip: false,
        isBroadcaster: false,
      },
    });
    expect(data.messageId).toEqual(expect.any(String));
  });

  it("publishes the reply parent of a threaded message and /me actions", async () => {
    h = await startTwitchHarness();
    const parent = h.fake.chat("who is live?", { user: "bo" });
    h.fake.chat("me!", { user: "ada", replyTo: parent });
    h.fake.chat("waves", { user: "cy", action: true });
    const reply = await h.event("twitch.chat.message", (d) => d.text === "me!");
    expect(reply.data.replyTo).toEqual({
      messageId: parent,
      user: { id: h.fake.user("bo").id, login: "bo", displayName: "Bo" },
      text: "who is live?",
    });
    const action = await h.event("twitch.chat.message", (d) => d.text === "waves");
    expect(action.data.isAction).toBe(true);
  });

  it("sends module messages and threaded replies to the channel", async () => {
    h = await startTwitchHarness();
    const id = h.fake.chat("!greet", { user: "ada" });
    const greeter = h.plugin.forModule("greeter");
    await greeter.reply(id, "Hello Ada! 👋");
    await greeter.sendMessage("Welcome everyone");
    const reply = await h.fake.waitForBotMessage("Hello Ada! 👋");
    expect(reply).toMatchObject({ channel: "streamer", replyTo: id, login: "streamer", accepted: true });
    await h.fake.waitForBotMessage("Welcome everyone");
    expect(h.plugin.chatStats().modules.greeter).toMatchObject({ sent: 2, dropped: 0 });
    await expect(greeter.sendMessage("")).rejects.toMatchObject({ code: "SS_CHAT_MESSAGE_INVALID" });
  });

  it("splits a message over 500 characters on spaces, as twurple does", async () => {
    h = await startTwitchHarness();
    const words = Array.from({ length: 200 }, (_, i) => `word${i}`);
    await h.plugin.forModule("greeter").sendMessage(words.join(" "));
    await h.fake.waitForBotMessage((m) => m.text.endsWith("word199"));
    const parts = h.fake.botMessages.map((m) => m.text);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(500);
    expect(parts.join(" ")).toBe(words.join(" "));
  });

  it("turns CLEARCHAT and CLEARMSG into timed-out, banned and message-deleted events", async () => {
    h = await startTwitchHarness();
    const id = h.fake.chat("spam spam", { user: "spammer" });
    await h.event("twitch.chat.message");
    h.fake.irc.clearMessage(id);
    h.fake.irc.clearChat("spammer", 600);
    h.fake.irc.clearChat("troll");
    expect((await h.event("twitch.chat.message_deleted")).data).toEqual({
      channel: "streamer",
      messageId: id,
      userLogin: "spammer",
      text: "spam spam",
    });
    expect((await h.event("twitch.chat.user_timed_out")).data).toEqual({
      channel: "streamer",
      userId: h.fake.user("spammer").id,
      userLogin: "spammer",
      durationSeconds: 600,
    });
    expect((await h.event("twitch.chat.user_banned")).data).toEqual({
      channel: "streamer",
      userId: h.fake.user("troll").id,
      userLogin: "troll",
    });
  });

  it("reconnects and rejoins when Twitch sends RECONNECT (which twurple ignores)", async () => {
    h = await startTwitchHarness();
    h.fake.irc.requestReconnect();
    await h.fake.waitForChatJoin({ count: 2 });
    await h.event("twitch.connection.reconnecting", (d) => d.connection === "chat");
    await h.event("twitch.connection.connected", (d) => d.connection === "chat");
    await h.plugin.forModule("greeter").sendMessage("still here");
    await h.fake.waitForBotMessage("still here");
    h.fake.chat("!after", { user: "ada" });
    await h.event("twitch.chat.message", (d) => d.text === "!after");
  });

  it("delivers messages sent while the chat socket was down once it has reconnected and rejoined", async () => {
    h = await startTwitchHarness();
    h.fake.dropChat();
    await h.event("twitch.connection.reconnecting", (d) => d.connection === "chat");
    const greeter = h.plugin.forModule("greeter");
    const sends = ["one", "two", "three"].map((text) => greeter.sendMessage(text));
    expect(h.plugin.status().connections?.chat).toBe("reconnecting");
    await h.fake.waitForChatJoin({ count: 2, timeoutMs: 20_000 });
    await Promise.all(sends);
    await h.fake.waitForBotMessage("three");
    expect(h.fake.botMessages.map((m) => m.text)).toEqual(["one", "two", "three"]);
    expect(h.plugin.status()).toMatchObject({ state: "connected", connections: { chat: "connected" } });
  });

  it("reports a message the channel's mode refuses against the module that sent it", async () => {
    h = await startTwitchHarness();
    h.fake.irc.setRoomModes({ followersOnly: true });
    await h.plugin.forModule("quotes").sendMessage("a quote");
    await h.logs.waitFor((l) => /refused a message from quotes/.test(l.message), 10_000, "the refusal log");
    expect(h.logs.items.find((l) => /refused a message/.test(l.message))?.message).toMatch(
      /followers-only mode/,
    );
    expect(h.plugin.chatStats().modules.quotes).toMatchObject({ sent: 1, rejected: 1 });
  });

  it("survives malformed IRC lines and keeps handling chat", async () => {
    h = await startTwitchHarness();
    h.fake.irc.sendRaw("@@@ :::");
    h.fake.irc.sendRaw("@badges=;id= :x!x@x.tmi.twitch.tv PRIVMSG");
    h.fake.irc.sendRaw(":tmi.twitch.tv CLEARCHAT");
    h.fake.irc.sendRaw(`\u0000\u0001garbage`);
    h.fake.chat("sentinel", { user: "ada" });
    await h.event("twitch.chat.message", (d) => d.text === "sentinel");
    expect(h.events.items.filter((e) => e.type === "twitch.chat.message").map((e) => e.data.text)).toEqual([
      "sentinel",
    ]);
  });

  it("never logs a token, even with twurple's debug output on", async () => {
    const token = "supersecretaccesstoken42";
    h = await startTwitchHarness({ env: { TWITCH_ACCESS_TOKEN: token }, plugin: { debug: true } });
    await h.plugin.forModule("greeter").sendMessage("hi");
    await h.fake.waitForBotMessage("hi");
    const lines = h.logs.items.map((l) => `${l.message} ${JSON.stringify(l.fields ?? {})}`);
    // twurple's debug output is on (it would log `PASS oauth:<token>` here)...
    expect(lines.some((l) => l.includes("Sending message: JOIN #streamer"))).toBe(true);
    expect(h.fake.irc.received.items).toContain("PASS ***");
    for (const line of lines) {
      expect(line).not.toContain(token);
      expect(line).not.toMatch(/oauth:(?!\[redacted\])/);
    }
    expect(JSON.stringify(h.plugin.status())).not.toContain(token);
    expect(JSON.stringify(h.events.items)).not.toContain(token);
  });

  it("publishes subs and resubs from chat USERNOTICEs only where EventSub does not cover them", async () => {
    h = await startTwitchHarness({
      settings: (fake) => {
        for (const type of ["channel.subscribe", "channel.subscription.message"]) {
          fake.eventSub.failures.set(type, {
            status: 403,
            message: "subscription missing proper authorization",
          });
        }
        return resolveTwitchSettings({ env: fake.env })!;
      },
    });
    await h.fake.waitForSubscriptions(["channel.raid"]);
    await h.logs.waitFor(
      (l) => /channel\.subscription\.message: subscription failed/.test(l.message),
      10_000,
      "the failure",
    );
    h.fake.irc.userNotice("sub", { user: "ada", params: { "sub-plan": "2000", "cumulative-months": "1" } });
    h.fake.irc.userNotice("resub", {
      user: "bo",
      text: "two years!",
      params: { "sub-plan": "1000", "cumulative-months": "24", "streak-months": "3" },
    });
    // EventSub covers raids: the chat notice of one is not published a second time.
    h.fake.irc.userNotice("raid", {
      user: "cy",
      params: { displayName: "Cy", login: "cy", viewerCount: "50" },
    });
    h.fake.chat("sentinel", { user: "ada" });
    await h.event("twitch.chat.message", (d) => d.text === "sentinel");
    expect((await h.event("twitch.subscription")).data).toEqual({
      user: { id: h.fake.user("ada").id, login: "ada", displayName: "Ada" },
      tier: "2000",
      isGift: false,
    });
    expect((await h.event("twitch.resubscription")).data).toMatchObject({
      months: 24,
      streakMonths: 3,
      message: "two years!",
    });
    expect(h.events.items.filter((e) => e.type === "twitch.raid")).toHaveLength(0);
  });
});
