import type { ChatMessageData } from "starstreamer";
import { describe, expect, it } from "vitest";
import { createLocalChat, type LocalChatOutput } from "./local-chat.ts";

function setup(commands: Parameters<typeof createLocalChat>[0]["commands"] = []) {
  const emitted: Array<{ type: string; data: unknown; source: string }> = [];
  const shown: LocalChatOutput[] = [];
  const chat = createLocalChat({
    emit: (type, data, source) => emitted.push({ type, data, source }),
    commands,
  });
  chat.onOutput((o) => shown.push(o));
  const errors = () => shown.filter((o) => o.kind === "error").map((o) => (o as { text: string }).text);
  return { chat, emitted, shown, errors };
}

describe("local chat", () => {
  it("turns a typed line into a twitch.chat.message from the local viewer", async () => {
    const { chat, emitted } = setup();
    await chat.input("!greet");
    expect(emitted).toHaveLength(1);
    const [event] = emitted;
    expect(event).toMatchObject({ type: "twitch.chat.message", source: "local-chat" });
    expect(event!.data).toMatchObject({
      text: "!greet",
      user: { login: "viewer", displayName: "Viewer", isModerator: false },
    });
  });

  it("speaks as someone else for one line with /as, and from then on when /as has no message", async () => {
    const { chat, emitted, shown } = setup();
    await chat.input("/as alice mod !so bob");
    expect((emitted[0]!.data as ChatMessageData).user).toMatchObject({
      login: "alice",
      displayName: "Alice",
      isModerator: true,
      badges: { moderator: "1" },
    });
    expect(chat.speaker.login).toBe("viewer");
    await chat.input("/as Bob sub");
    expect(shown.at(-1)).toEqual({ kind: "notice", text: "now chatting as Bob (subscriber)" });
    await chat.input("hi");
    expect((emitted[1]!.data as ChatMessageData).user).toMatchObject({ login: "bob", isSubscriber: true });
  });

  it("shows the bot's replies, naming whom a threaded reply answers", async () => {
    const { chat, emitted, shown } = setup();
    await chat.input("/as ada !greet");
    const messageId = (emitted[0]!.data as ChatMessageData).messageId;
    await chat.sendMessage("Hello Ada!", { replyTo: messageId });
    expect(shown.at(-1)).toMatchObject({ kind: "bot", text: "Hello Ada!", replyTo: "Ada" });
    await expect(chat.sendMessage("")).rejects.toThrow(/non-empty/);
  });

  it("fires /simulate events from defaults merged with JSON, and prints bad input instead of throwing", async () => {
    const { chat, emitted, errors } = setup();
    await chat.input('/simulate twitch.raid {"viewers": 500, "from": {"displayName": "BigRaider"}}');
    expect(emitted[0]).toMatchObject({
      type: "twitch.raid",
      data: { viewers: 500, from: { displayName: "BigRaider", login: "viewer" } },
    });
    await chat.input('/simulate twitch.raid {"viewers": "many"}');
    await chat.input("/simulate twitch.raid {viewers: 5}");
    await chat.input("/simulate twitch.nope");
    await chat.input("/simulate");
    expect(emitted).toHaveLength(1);
    const [badField, badJson, badType, noType] = errors();
    expect(badField).toMatch(/data\.viewers: expected a number, got string/);
    expect(badJson).toMatch(/not valid JSON/);
    expect(badType).toMatch(/Unknown event type "twitch\.nope"; accepted: twitch\.chat\.message/);
    expect(noType).toMatch(/needs an event type/);
  });

  it("lists its commands and the extra ones with /help, and refuses unknown commands", async () => {
    const ran: string[] = [];
    const { chat, shown, errors } = setup([
      { name: "modules", usage: "/modules", description: "list modules", run: (a) => void ran.push(a) },
    ]);
    await chat.input("/help");
    const help = (shown.at(-1) as { text: string }).text;
    for (const word of ["/as", "/simulate", "/me", "/modules", "/help"]) expect(help).toContain(word);
    await chat.input("/modules x");
    expect(ran).toEqual(["x"]);
    await chat.input("/nope");
    await chat.input("/as bad!name hi");
    expect(errors()).toEqual([
      expect.stringMatching(/unknown command \/nope/),
      expect.stringMatching(/letters, digits and _/),
    ]);
  });

  it("ignores input once closed but still shows replies", async () => {
    const { chat, emitted, shown } = setup();
    chat.close();
    await chat.input("!greet");
    await chat.sendMessage("bye");
    expect(emitted).toHaveLength(0);
    expect(shown.at(-1)).toMatchObject({ kind: "bot", text: "bye" });
  });

  it("is the twitch HostPlugin: each module sends through its own lane of the shared queue", async () => {
    const { chat, shown } = setup();
    expect(chat.name).toBe("twitch");
    expect(chat.moduleMethods).toContain("createClip");
    expect(chat.status()).toEqual({
      kind: "local",
      state: "offline",
      detail: "local chat as #streamer (no Twitch connection)",
    });
    await chat.input("/as ada !greet");
    const greeter = chat.forModule("greeter");
    await greeter.sendMessage("Hello Ada!");
    await greeter.sendAnnouncement("Giveaway at 8", { color: "purple" });
    expect(shown.slice(-2)).toEqual([
      { kind: "bot", text: "Hello Ada!", replyTo: null, channel: "streamer", module: "greeter" },
      { kind: "notice", text: "[announcement purple] Giveaway at 8" },
    ]);
    expect(chat.chatStats().modules.greeter).toMatchObject({ sent: 1 });
  });

  it("refuses what needs Twitch with a typed offline error and says so in the chat, never a silent success", async () => {
    const { chat, errors } = setup();
    const mod = chat.forModule("mod-tools");
    for (const call of [
      () => mod.createClip(),
      () => mod.ban("123"),
      () => mod.timeout("123", 60),
      () => mod.shoutout("123"),
      () => mod.getStreamInfo(),
      () => mod.getUserByLogin("ada"),
    ]) {
      await expect(call()).rejects.toMatchObject({ code: "SS_TWITCH_NOT_AVAILABLE_OFFLINE" });
    }
    expect(errors()[0]).toBe("mod-tools called twitch.createClip: not available offline (needs Twitch)");
    expect(errors()).toHaveLength(6);
  });

  it("answers chatters, moderator and VIP checks from who spoke in the local chat", async () => {
    const { chat, emitted } = setup();
    await chat.input("/as alice mod hi");
    await chat.input("/as bob vip hey");
    const [alice, bob] = emitted.map((e) => (e.data as ChatMessageData).user);
    const mod = chat.forModule("mod-tools");
    expect((await mod.getChatters()).map((c) => c.login)).toEqual(["alice", "bob"]);
    expect(await mod.isModerator(alice!.id)).toBe(true);
    expect(await mod.isModerator(bob!.id)).toBe(false);
    expect(await mod.isVip(bob!.id)).toBe(true);
  });

  it("refuses a flood past the module's quota with a typed error, as on Twitch", async () => {
    const { chat } = setup();
    const flood = chat.forModule("games");
    const results = await Promise.allSettled(
      Array.from({ length: 300 }, (_, i) => flood.sendMessage(`spam ${i}`)),
    );
    const refused = results.filter((r) => r.status === "rejected");
    expect(refused.length).toBeGreaterThan(0);
    expect((refused[0] as PromiseRejectedResult).reason.code).toBe("SS_CHAT_QUOTA_EXCEEDED");
    await chat.forModule("greeter").sendMessage("still answered");
    expect(chat.chatStats().modules.greeter?.sent).toBe(1);
    await chat.stop();
  });
});
