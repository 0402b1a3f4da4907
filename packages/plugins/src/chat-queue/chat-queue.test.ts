import { StarStreamerError } from "starstreamer";
import { describe, expect, it } from "vitest";
import { PluginErrorCodes } from "../errors.ts";
import { ChatQueue } from "./chat-queue.ts";
import { type OutgoingChatMessage, RetryableSendError } from "./chat-queue-types.ts";

/** A chat connection that records what went out; `hold` keeps each send pending until released. */
function connection(options: { hold?: boolean } = {}) {
  const sent: OutgoingChatMessage[] = [];
  const times: number[] = [];
  const pending: Array<{ message: OutgoingChatMessage; resolve: () => void; reject: (e: Error) => void }> =
    [];
  let waiters: Array<() => void> = [];
  const send = (message: OutgoingChatMessage) =>
    new Promise<void>((resolve, reject) => {
      const done = () => {
        sent.push(message);
        times.push(Date.now());
        resolve();
        for (const w of waiters) w();
        waiters = [];
      };
      if (options.hold) pending.push({ message, resolve: done, reject });
      else done();
    });
  const until = async (test: () => boolean) => {
    const deadline = Date.now() + 10_000;
    while (!test()) {
      if (Date.now() > deadline) throw new Error("timed out");
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 20);
      });
    }
  };
  return { send, sent, times, pending, until, texts: () => sent.map((m) => `${m.module}:${m.text}`) };
}

const channel = "streamer";

describe("chat queue", () => {
  it("keeps a flooding module from delaying another module's reply, and tells the flooder", async () => {
    const chat = connection({ hold: true });
    const queue = new ChatQueue(chat.send);
    queue.setReady(true);
    const flood = Array.from({ length: 10_000 }, (_, i) => queue.send("games", `spam ${i}`, { channel }));
    const greet = queue.send("greeter", "Hello Ada!", { channel, replyTo: "m1" });
    const outcomes = await Promise.allSettled(flood.slice(21));
    const refused = outcomes
      .filter((o) => o.status === "rejected")
      .map((o) => (o as PromiseRejectedResult).reason);
    expect(refused).toHaveLength(10_000 - 21);
    expect(refused[0]).toBeInstanceOf(StarStreamerError);
    expect(refused[0].code).toBe(PluginErrorCodes.CHAT_QUOTA_EXCEEDED);
    // spam 0 is in flight; the greeter's reply goes right after it, before spam 1.
    chat.pending.shift()!.resolve();
    await chat.until(() => chat.pending.length === 1);
    expect(chat.pending[0]!.message).toMatchObject({ module: "greeter", text: "Hello Ada!", replyTo: "m1" });
    chat.pending.shift()!.resolve();
    await greet;
    // spam 1 is in flight now; 19 more wait.
    expect(queue.stats().modules.games).toMatchObject({ dropped: 10_000 - 21, queued: 19, sent: 1 });
    expect(queue.stats().modules.greeter).toMatchObject({ sent: 1, dropped: 0 });
    queue.close();
    for (const send of chat.pending.splice(0)) send.resolve();
    await Promise.allSettled(flood);
  });

  it("sends alerts before ordinary modules and games last, and takes turns within a priority", async () => {
    const chat = connection();
    const queue = new ChatQueue(chat.send);
    const all = [
      queue.send("games", "g1", { channel }),
      queue.send("games", "g2", { channel }),
      queue.send("greeter", "a1", { channel }),
      queue.send("quotes", "b1", { channel }),
      queue.send("greeter", "a2", { channel }),
      queue.send("alerts", "alert", { channel }),
    ];
    queue.setReady(true);
    await Promise.all(all);
    expect(chat.texts()).toEqual([
      "alerts:alert",
      "greeter:a1",
      "quotes:b1",
      "greeter:a2",
      "games:g1",
      "games:g2",
    ]);
  });

  it("lets priorities and quotas be configured per module", async () => {
    const chat = connection();
    const queue = new ChatQueue(chat.send, { modules: { games: { priority: 99, maxQueued: 1 } } });
    const first = queue.send("games", "g1", { channel });
    const second = queue.send("games", "g2", { channel });
    const alert = queue.send("alerts", "alert", { channel });
    await expect(second).rejects.toMatchObject({ code: PluginErrorCodes.CHAT_QUOTA_EXCEEDED });
    queue.setReady(true);
    await Promise.all([first, alert]);
    expect(chat.texts()).toEqual(["games:g1", "alerts:alert"]);
  });

  it("throttles a high-priority module past its fair share so others still get a turn", async () => {
    const chat = connection({ hold: true });
    const queue = new ChatQueue(chat.send, { share: { messages: 2, windowMs: 60_000 } });
    queue.setReady(true);
    const alerts = Array.from({ length: 5 }, (_, i) => queue.send("alerts", `alert ${i}`, { channel }));
    const greet = queue.send("greeter", "hi", { channel });
    for (let i = 0; i < 3; i++) {
      await chat.until(() => chat.pending.length === 1);
      chat.pending.shift()!.resolve();
    }
    await greet;
    expect(chat.texts()).toEqual(["alerts:alert 0", "alerts:alert 1", "greeter:hi"]);
    while (chat.sent.length < 6) {
      await chat.until(() => chat.pending.length === 1);
      chat.pending.shift()!.resolve();
    }
    await Promise.all(alerts);
  });

  it("keeps a reserve of the account's budget for other modules when one module is past its share", async () => {
    const chat = connection();
    const queue = new ChatQueue(chat.send, {
      share: { messages: 3, windowMs: 60_000 },
      budget: { messages: 10, windowMs: 60_000, reserve: 2 },
    });
    queue.setReady(true);
    const flood = Array.from({ length: 12 }, (_, i) => queue.send("games", `g${i}`, { channel }));
    await chat.until(() => chat.sent.length === 8);
    expect(queue.stats().modules.games).toMatchObject({ sent: 8, queued: 4 });
    await queue.send("greeter", "hi", { channel });
    expect(chat.texts().at(-1)).toBe("greeter:hi");
    queue.close();
    await Promise.allSettled(flood);
    expect(queue.stats().modules.games?.sent).toBe(8);
  });

  it("puts a message the connection lost back in front and sends it once the connection is back", async () => {
    const chat = connection({ hold: true });
    const queue = new ChatQueue(chat.send);
    queue.setReady(true);
    const first = queue.send("greeter", "one", { channel });
    const second = queue.send("greeter", "two", { channel });
    await chat.until(() => chat.pending.length === 1);
    chat.pending.shift()!.reject(new RetryableSendError());
    await chat.until(() => !queue.ready);
    expect(queue.stats()).toMatchObject({ queued: 2, inFlight: 0 });
    queue.setReady(true);
    for (let i = 0; i < 2; i++) {
      await chat.until(() => chat.pending.length === 1);
      chat.pending.shift()!.resolve();
    }
    await Promise.all([first, second]);
    expect(chat.texts()).toEqual(["greeter:one", "greeter:two"]);
  });

  it("refuses empty text, rejects what waits when closed, and reports what it sent", async () => {
    const chat = connection();
    const queue = new ChatQueue(chat.send);
    await expect(queue.send("greeter", "  ", { channel })).rejects.toMatchObject({
      code: PluginErrorCodes.CHAT_MESSAGE_INVALID,
    });
    const waiting = queue.send("greeter", "later", { channel });
    queue.close();
    await expect(waiting).rejects.toMatchObject({ code: PluginErrorCodes.CHAT_QUEUE_CLOSED });
    await expect(queue.send("greeter", "after", { channel })).rejects.toMatchObject({
      code: PluginErrorCodes.CHAT_QUEUE_CLOSED,
    });

    const open = new ChatQueue(chat.send);
    open.setReady(true);
    await open.send("greeter", "hello", { channel });
    open.recordRejection(channel, "msg_followersonly");
    expect(open.stats().recent).toEqual([expect.objectContaining({ module: "greeter", text: "hello" })]);
    expect(open.stats().modules.greeter).toMatchObject({ sent: 1, rejected: 1 });
  });

  it("paces sends to an account limit when given one, losing none", async () => {
    const chat = connection();
    const queue = new ChatQueue(chat.send, { accountLimit: { messages: 3, windowMs: 300 } });
    queue.setReady(true);
    const sends = Array.from({ length: 5 }, (_, i) => queue.send("greeter", `m${i}`, { channel }));
    await chat.until(() => chat.sent.length === 3);
    expect(queue.stats().queued).toBe(2);
    await Promise.all(sends);
    expect(chat.texts()).toEqual(["greeter:m0", "greeter:m1", "greeter:m2", "greeter:m3", "greeter:m4"]);
    // The fourth message had to wait for the first one's window to pass.
    expect(chat.times[3]! - chat.times[0]!).toBeGreaterThanOrEqual(290);
  });
});
