import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { Recorder } from "../fake-plugins.ts";
import { createFakeTwitch, type FakeTwitchServer } from "./fake-twitch.ts";
import { parseIrcLine } from "./irc-line.ts";

let fake: FakeTwitchServer | undefined;
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate();
  await fake?.close();
  fake = undefined;
});

/** A raw client: every line or frame it receives, and a way to send. */
async function connect(url: string) {
  const socket = new WebSocket(url);
  sockets.push(socket);
  const received = new Recorder<string>();
  socket.on("message", (data) => {
    for (const line of data.toString().split("\r\n")) if (line !== "") received.push(line);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
  });
  const line = (test: RegExp, since = 0) => received.waitFor((l) => test.test(l), 5000, String(test), since);
  return { socket, received, line, send: (text: string) => socket.send(text) };
}

describe("fake Twitch: IRC over WebSocket", () => {
  it("negotiates capabilities, welcomes with 001-376, joins with ROOMSTATE and answers PING", async () => {
    fake = await createFakeTwitch({ channel: "streamer", acceptAnyToken: false });
    const token = fake.issueToken("botty", { scopes: ["chat:read", "chat:edit"] });
    const irc = await connect(`${fake.wsUrl}/irc`);
    irc.send("CAP LS 302\r\n");
    expect(await irc.line(/CAP \* LS/)).toBe(
      ":tmi.twitch.tv CAP * LS :twitch.tv/membership twitch.tv/tags twitch.tv/commands",
    );
    irc.send("CAP REQ :twitch.tv/tags twitch.tv/commands\r\n");
    await irc.line(/CAP \* ACK :twitch.tv\/tags twitch.tv\/commands/);
    irc.send(`PASS oauth:${token.accessToken}\r\nNICK botty\r\nCAP END\r\n`);
    for (const code of ["001", "002", "003", "004", "375", "372", "376"])
      await irc.line(new RegExp(` ${code} botty `));
    await irc.line(/GLOBALUSERSTATE/);
    irc.send("JOIN #streamer\r\n");
    await irc.line(/^:botty!botty@botty\.tmi\.twitch\.tv JOIN #streamer$/);
    await irc.line(/ 366 botty #streamer :End of \/NAMES list/);
    const roomstate = parseIrcLine(await irc.line(/ROOMSTATE #streamer/))!;
    expect(roomstate.tags).toMatchObject({
      "room-id": "1",
      slow: "0",
      "subs-only": "0",
      "followers-only": "-1",
    });
    irc.send("PING :tmi.twitch.tv\r\n");
    await irc.line(/^:tmi\.twitch\.tv PONG tmi\.twitch\.tv :tmi\.twitch\.tv$/);
    expect(fake.irc.received.items).toContain("PASS ***");
  });

  it("sends chat with IRCv3 tags, records what the bot says, and refuses a bad login", async () => {
    fake = await createFakeTwitch({ channel: "streamer" });
    const irc = await connect(`${fake.wsUrl}/irc`);
    irc.send(
      "CAP REQ :twitch.tv/tags twitch.tv/commands\r\nPASS oauth:anything\r\nNICK streamer\r\nCAP END\r\nJOIN #streamer\r\n",
    );
    await fake.waitForChatJoin();
    const id = fake.chat("Kappa hi; there", { user: "ada", level: "vip", bits: 50 });
    const message = parseIrcLine(await irc.line(/PRIVMSG #streamer/))!;
    expect(message.tags).toMatchObject({
      id,
      "display-name": "Ada",
      badges: "vip/1",
      vip: "1",
      bits: "50",
      emotes: "25:0-4",
    });
    expect(message.params).toEqual(["#streamer", "Kappa hi; there"]);
    irc.send(`@reply-parent-msg-id=${id} PRIVMSG #streamer :hello Ada\r\n`);
    expect(await fake.waitForBotMessage("hello Ada")).toMatchObject({
      replyTo: id,
      login: "streamer",
      accepted: true,
    });
    fake.irc.setRoomModes({ subsOnly: true });
    irc.send("PRIVMSG #streamer :nope\r\n");
    await irc.line(/@msg-id=msg_subsonly :tmi\.twitch\.tv NOTICE #streamer/);

    fake.state.acceptAnyToken = false;
    const intruder = await connect(`${fake.wsUrl}/irc`);
    intruder.send("PASS oauth:wrong\r\nNICK streamer\r\n");
    await intruder.line(/NOTICE \* :Login authentication failed/);
  });
});

describe("fake Twitch: EventSub, Helix and auth", () => {
  it("welcomes on /ws, creates subscriptions, notifies, keeps alive and revokes", async () => {
    fake = await createFakeTwitch({ channel: "streamer", keepaliveSeconds: 1 });
    const ws = await connect(`${fake.wsUrl}/ws`);
    const welcome = JSON.parse(await ws.line(/session_welcome/));
    expect(welcome.payload.session).toMatchObject({ status: "connected", keepalive_timeout_seconds: 1 });
    const create = await fetch(`${fake.url}/eventsub/subscriptions`, {
      method: "POST",
      headers: { Authorization: "Bearer any", "Client-Id": "c", "Content-Type": "application/json" },
      body: JSON.stringify({
        type: "channel.follow",
        version: "2",
        condition: { broadcaster_user_id: "1", moderator_user_id: "1" },
        transport: { method: "websocket", session_id: welcome.payload.session.id },
      }),
    });
    expect(create.status).toBe(202);
    expect(create.headers.get("ratelimit-limit")).toBe("800");
    const { messageId } = fake.fire("channel.follow", {}, { user: "ada" });
    const note = JSON.parse(await ws.line(/"notification"/));
    expect(note.metadata).toMatchObject({
      message_id: messageId,
      subscription_type: "channel.follow",
      subscription_version: "2",
    });
    expect(note.payload.event).toMatchObject({
      user_login: "ada",
      broadcaster_user_id: "1",
      followed_at: expect.any(String),
    });
    await ws.line(/session_keepalive/);
    expect(fake.eventSub.revoke("channel.follow")).toBe(1);
    expect(JSON.parse(await ws.line(/"revocation"/)).payload.subscription.status).toBe(
      "authorization_revoked",
    );
    expect(() => fake!.fire("channel.follow")).toThrow(/nobody is subscribed to channel\.follow/);
  });

  it("answers Helix with Ratelimit headers and Twitch's error shape, and validates tokens", async () => {
    fake = await createFakeTwitch({ acceptAnyToken: false });
    const token = fake.issueToken("streamer", { scopes: ["chat:read"] });
    const headers = { Authorization: `Bearer ${token.accessToken}`, "Client-Id": "c" };
    const users = await fetch(`${fake.url}/mock/users?login=streamer`, { headers });
    expect(users.headers.get("ratelimit-remaining")).toMatch(/^\d+$/);
    expect(((await users.json()) as { data: unknown[] }).data[0]).toMatchObject({
      id: "1",
      login: "streamer",
      display_name: "Streamer",
    });
    const clip = await fetch(`${fake.url}/mock/clips?broadcaster_id=1`, { method: "POST", headers });
    expect(clip.status).toBe(401);
    expect(await clip.json()).toEqual({
      error: "Unauthorized",
      status: 401,
      message: "Missing scope: clips:edit",
    });
    const validate = await fetch(`${fake.url}/auth/validate`, {
      headers: { Authorization: `OAuth ${token.accessToken}` },
    });
    expect(await validate.json()).toMatchObject({ login: "streamer", user_id: "1", scopes: ["chat:read"] });
    fake.state.revoke(token.accessToken);
    expect(
      (await fetch(`${fake.url}/auth/validate`, { headers: { Authorization: `OAuth ${token.accessToken}` } }))
        .status,
    ).toBe(401);
  });
});
