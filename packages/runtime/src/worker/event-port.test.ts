import { MessageChannel, type MessagePort } from "node:worker_threads";
import type { LifecycleContext, Logger } from "starstreamer";
import { StarStreamerError } from "starstreamer";
import { afterEach, describe, expect, it } from "vitest";
import { serializeError } from "../comlink/error-transfer.ts";
import { EventPort } from "./event-port.ts";
import { HandlerRunner, type HandlerRunnerOptions } from "./handler-runner.ts";
import { Heartbeat } from "./heartbeat.ts";
import { HEARTBEAT_BYTES, type HostPost, type WorkerPost } from "./protocol.ts";
import type { RegisteredHandler } from "./registration-scope.ts";

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const ports: MessagePort[] = [];
afterEach(() => {
  for (const port of ports.splice(0)) port.close();
});

/**
 * A worker's event port over a real MessageChannel, with one handler per entry in `runs`; the test
 * plays the host on the other end and reads what the worker posts, one message at a time.
 */
function linked(
  runs: Array<(ctx: { twitch: Record<string, (...args: unknown[]) => Promise<unknown>> }) => unknown>,
) {
  const { port1: host, port2: worker } = new MessageChannel();
  ports.push(host, worker);
  const received: WorkerPost[] = [];
  const waiters: Array<() => void> = [];
  host.on("message", (message: WorkerPost) => {
    received.push(message);
    waiters.shift()?.();
  });
  let port: EventPort | null = null;
  const handlers: RegisteredHandler[] = runs.map((run, id) => ({
    info: {
      id,
      name: `h${id}`,
      type: "twitch.chat.message",
      triggers: [],
      deadlineMs: null,
      description: null,
    },
    run: async () => {
      await run({ twitch: port!.plugin("twitch") });
    },
    predicates: [],
    logger: silent,
    serial: null,
  }));
  const runner = new HandlerRunner({
    // Reports go on the event port once it is set; the Comlink host is never called here.
    host: { report: async () => {}, slow: async () => {} } as unknown as HandlerRunnerOptions["host"],
    deadlineMs: 60_000,
    handlers: () => handlers,
    context: () => ({}) as LifecycleContext<unknown>,
  });
  port = new EventPort(worker, new Heartbeat(new SharedArrayBuffer(HEARTBEAT_BYTES)), runner);
  return {
    runner,
    received,
    plugin: (name: string) => port!.plugin(name),
    /** Resolves with the next message the worker posts. */
    next: () =>
      new Promise<WorkerPost>((resolve) => {
        const count = received.length + waiters.length;
        waiters.push(() => resolve(received[count]!));
      }),
    send: (post: HostPost) => host.postMessage(post),
    batch: (seq: number, ...handlerIds: number[]) =>
      host.postMessage([
        seq,
        handlerIds.map((id) => JSON.stringify({ e: { id: `e${seq}.${id}` }, h: [[id, null]] })),
      ] satisfies HostPost),
  };
}

describe("EventPort (the worker's end of the event path)", () => {
  it("sends a reply's plugin call with the batch's acknowledgement, in one message, and hands the answer back", async () => {
    let answered: unknown;
    const link = linked([
      async (ctx) => {
        answered = await ctx.twitch.sendMessage!("hi", { replyTo: "m1" });
      },
    ]);
    const posted = link.next();
    link.batch(1, 0);
    const message = await posted;
    expect(message.a).toBe(1);
    expect(message.c).toEqual([[1, "twitch", "sendMessage", ["hi", { replyTo: "m1" }]]]);
    link.send({ c: 1, v: "sent" });
    await expect.poll(() => answered).toBe("sent");
  });

  it("acknowledges a batch whose handlers call nothing on its own, and a call made later goes alone", async () => {
    let later: () => void = () => {};
    const link = linked([
      async (ctx) => {
        await new Promise<void>((resolve) => (later = resolve));
        await ctx.twitch.sendMessage!("after");
      },
    ]);
    let posted = link.next();
    link.batch(7, 0);
    expect(await posted).toEqual({ a: 7 });
    posted = link.next();
    later();
    expect(await posted).toEqual({ c: [[1, "twitch", "sendMessage", ["after"]]] });
  });

  it("acknowledges only once the last entry has started: a call from the first entry of two goes without it", async () => {
    const link = linked([async (ctx) => ctx.twitch.sendMessage!("first"), async () => {}]);
    const first = link.next();
    const second = link.next();
    link.batch(3, 0, 1);
    expect(await first).toEqual({ c: [[1, "twitch", "sendMessage", ["first"]]] });
    expect(await second).toEqual({ a: 3 });
  });

  it("rejects a call whose arguments cannot cross with the reason, and still acknowledges", async () => {
    let failure: unknown;
    const link = linked([
      async (ctx) => {
        try {
          await ctx.twitch.sendMessage!("x", { onSent: () => {} });
        } catch (error) {
          failure = error;
        }
      },
    ]);
    const posted = link.next();
    link.batch(2, 0);
    expect(await posted).toEqual({ a: 2 });
    await expect.poll(() => (failure as Error | undefined)?.name).toBe("DataCloneError");
  });

  it("rejects with the host's error, code and data kept", async () => {
    let failure: unknown;
    const link = linked([
      async (ctx) => {
        await ctx.twitch.deleteEverything!().catch((error: unknown) => (failure = error));
      },
    ]);
    const posted = link.next();
    link.batch(4, 0);
    const id = (await posted).c?.[0]?.[0];
    const refused = new StarStreamerError("SS_PLUGIN_METHOD_FORBIDDEN", "not offered to modules", {
      data: { method: "deleteEverything" },
    });
    link.send({ c: id ?? -1, e: serializeError(refused) });
    await expect.poll(() => failure).toBeInstanceOf(StarStreamerError);
    expect(failure).toMatchObject({
      code: "SS_PLUGIN_METHOD_FORBIDDEN",
      data: { method: "deleteEverything" },
    });
  });

  it("is not a promise: awaiting a plugin resolves to the plugin itself and posts nothing", async () => {
    const link = linked([async () => {}]);
    const twitch = link.plugin("twitch");
    expect(await twitch).toBe(twitch);
    const posted = link.next();
    link.batch(5, 0);
    expect(await posted).toEqual({ a: 5 }); // the first message out: no call was made before it
  });
});
