import { EventEmitter } from "node:events";
import { performance } from "node:perf_hooks";
import { MessageChannel, Worker } from "node:worker_threads";
import type { StarEvent } from "starstreamer";
import { createEvent } from "starstreamer/internal";
import { arrivals } from "../lib/arrivals.ts";
import { BenchTwitch, benchModule, startBenchHost } from "../lib/bench-host.ts";
import { countDeliveries } from "../lib/delivery-counter.ts";
import { type Measured, mean, median, p99, type RunOptions, round, sleep, until } from "../lib/figure.ts";

const CHAT = "twitch.chat.message";

/**
 * Emits `count` events at `rate` per second, as evenly as the timer allows: each timer turn sends
 * the events that are due, so a late turn catches up instead of lowering the rate.
 */
async function paced(count: number, rate: number, emit: (i: number) => void): Promise<number> {
  const started = performance.now();
  let i = 0;
  while (i < count) {
    const due = Math.min(count, Math.floor(((performance.now() - started) * rate) / 1000) + 1);
    for (; i < due; i++) emit(i);
    await sleep(1);
  }
  return performance.now() - started;
}

/**
 * Sends `count` events at `rate`: timer-paced with latency from the emit (`fromSender` false),
 * or from a sender thread with latency from each message's send ({@link arrivals}).
 */
function drive(
  count: number,
  rate: number,
  fromSender: boolean,
  sentAt: Float64Array,
  emit: (i: number) => void,
): Promise<number> {
  if (fromSender)
    return arrivals(count, rate, (i, sent) => {
      sentAt[i] = sent;
      emit(i);
    });
  return paced(count, rate, (i) => {
    sentAt[i] = performance.now();
    emit(i);
  });
}

/** A bare worker that answers each message on its port with the message's first element. */
const ECHO = `
const { workerData } = require("node:worker_threads");
workerData.port.on("message", (message) => workerData.port.postMessage(message[0]));
`;

/**
 * The floor under command_reply_ms: the same pacing and round-robin to `workers` bare workers
 * that echo on a MessagePort; latency from the send to the echo heard on this thread. Two thread
 * hops and nothing else: what the host's path costs with no routing, no handler and no report.
 * Each message carries `payload` (an event's JSON), as an entry does.
 */
async function runPortFloor(count: number, rate: number, payload: string, workers = 10): Promise<number[]> {
  const channels = Array.from({ length: workers }, () => new MessageChannel());
  const threads = channels.map(
    ({ port2 }) => new Worker(ECHO, { eval: true, workerData: { port: port2 }, transferList: [port2] }),
  );
  let sentAt = new Float64Array(0);
  let latencies: number[] = [];
  for (const { port1 } of channels)
    port1.on("message", (i: number) => latencies.push(performance.now() - sentAt[i]!));
  const pass = async (n: number, perSecond: number) => {
    sentAt = new Float64Array(n);
    latencies = [];
    await drive(n, perSecond, false, sentAt, (i) => channels[i % workers]!.port1.postMessage([i, payload]));
    await until(() => latencies.length >= n, 30_000, "every echo", 5);
    return latencies;
  };
  try {
    // Warm-up, as the host's figure has: JIT, every worker's first wake-up.
    await pass(Math.min(500, count), 1000);
    return await pass(count, rate);
  } finally {
    for (const { port1 } of channels) port1.close();
    await Promise.all(threads.map((t) => t.terminate()));
  }
}

/** One command_reply_ms figure from its replies, the EventEmitter baseline and the port floor. */
function replyFigure(
  variant: string,
  reply: Replies,
  baseline: number[],
  floor: number[],
  note: string,
): Measured {
  const p50 = median(reply.latencies);
  const baseMedian = median(baseline)!;
  return {
    name: "command_reply_ms",
    variant,
    unit: "ms",
    n: reply.latencies.length,
    median: round(p50, 3),
    p99: round(p99(reply.latencies), 3),
    baseline: { name: "same handlers on an in-process EventEmitter", median: round(baseMedian, 4)! },
    ratio: p50 === null ? null : round(p50 / baseMedian, 1),
    stand_in: true,
    note,
    details: {
      achieved_rate_per_s: Math.round((reply.latencies.length / reply.wallMs) * 1000),
      baseline_p99_ms: round(p99(baseline), 4),
      port_floor_p50_ms: round(median(floor), 3),
      port_floor_p99_ms: round(p99(floor), 3),
      events_per_cross_thread_delivery: round(reply.perMessage, 2),
      emit_to_handler_p50_ms: round(median(reply.toHandler), 3),
      handler_to_main_p50_ms: round(median(reply.fromHandler), 3),
      emit_to_handler_p99_ms: round(p99(reply.toHandler), 3),
      handler_to_main_p99_ms: round(p99(reply.fromHandler), 3),
      mean_ms: round(mean(reply.latencies), 3),
    },
  };
}

/**
 * command_reply_ms, on one host with 10 chat modules (chatter0..chatter9 stand-ins): `!chatterK
 * <seq>` round-robin, sustained at 1,000 events/s and at 5 events/s (the cold path); from
 * `host.emit` (validation included) to the module's `ctx.twitch.sendMessage` reaching the main
 * thread. Baseline: the same handlers on an in-process EventEmitter, same events, same pacing.
 */
export async function measureCommandReply(options: RunOptions): Promise<Measured[]> {
  const count = options.quick ? 1000 : 10_000;
  const slow = options.quick ? 15 : 200;
  const modules = Array.from({ length: 10 }, (_, k) => ({ from: benchModule("chatter"), as: `chatter${k}` }));
  const bench = await startBenchHost(modules);
  const texts = Array.from({ length: count }, (_, i) => `!chatter${i % 10} ${i}`);
  let sustained: Replies;
  let cold: Replies;
  try {
    // Warm-up: JIT on both sides, every worker's first wake-up.
    await runReplies(bench, texts.slice(0, 500), 1000);
    sustained = await runReplies(bench, texts, 1000);
    cold = await runReplies(bench, texts.slice(0, slow), 5);
  } finally {
    await bench.close();
  }
  await runEmitterReplies(texts.slice(0, 500), 1000);
  const baseline = (await runEmitterReplies(texts, 1000)).latencies;
  const baselineCold = (await runEmitterReplies(texts.slice(0, slow), 5)).latencies;
  const payload = JSON.stringify(
    createEvent(CHAT, (await startlessChatData(texts.slice(0, 1)))[0], "twitch"),
  );
  const floor = await runPortFloor(count, 1000, payload);
  const floorCold = await runPortFloor(slow, 5, payload);
  return [
    replyFigure(
      "sustained",
      sustained,
      baseline,
      floor,
      "10 chat modules (chatter stand-ins), 1,000 events/s round-robin; host.emit (zod validation included) to sendMessage on the main thread",
    ),
    replyFigure(
      "5_per_s",
      cold,
      baselineCold,
      floorCold,
      "the same 10 modules at 5 events/s: every worker asleep between its events",
    ),
  ];
}

/**
 * noisy_neighbor_reply_ms: `!chatter0 <seq>` at 200/s while the burner stand-in burns 20 ms of CPU
 * for each `!burn 20` sent at 25/s. Baseline: the same two handlers on one EventEmitter. The details
 * add the floor: the same replies on the same host with the burner idle.
 */
export async function measureNoisyNeighbor(options: RunOptions): Promise<Measured> {
  const count = options.quick ? 400 : 2000;
  const texts = Array.from({ length: count }, (_, i) => `!chatter0 ${i}`);
  const burnEvery = 8; // 200/s / 8 = 25 bursts/s of 20 ms: half a core
  const bench = await startBenchHost([
    { from: benchModule("chatter"), as: "chatter0" },
    { from: benchModule("burner") },
  ]);
  let isolated: Replies;
  let alone: Replies;
  try {
    const burn = bench.chatData("!burn 20");
    await runReplies(bench, texts.slice(0, 100), 200);
    // The floor: the same replies, same pacing, on the same host, with the burner idle.
    alone = await runReplies(bench, texts, 200, undefined, true);
    isolated = await runReplies(
      bench,
      texts,
      200,
      (i) => {
        if (i % burnEvery === 0) bench.host.emit(CHAT, burn, "twitch");
      },
      true,
    );
    const info = bench.host.registry.info("burner");
    if (info.errors > 0) throw new Error(`burner: ${info.errors} handler errors`);
  } finally {
    await bench.close();
  }
  const together = await runEmitterReplies(texts, 200, {
    burnEvery,
    burnMs: 20,
    modules: 1,
    fromSender: true,
  });
  const tail = p99(isolated.latencies)!;
  const baseTail = p99(together.latencies)!;
  return {
    name: "noisy_neighbor_reply_ms",
    unit: "ms",
    n: isolated.latencies.length,
    median: round(median(isolated.latencies), 3),
    p99: round(tail, 3),
    baseline: {
      name: "the same two handlers in one process (EventEmitter), p99 ms",
      median: round(baseTail, 2)!,
    },
    ratio: round(baseTail / tail, 1),
    stand_in: true,
    note: "chatter0 replies at 200/s while the burner stand-in burns 20 ms per !burn at 25/s; latency from each message's send by a sender thread (a message that arrives during a burn waits in one process); ratio = one-process p99 / isolated p99",
    details: {
      one_process_p50_ms: round(median(together.latencies), 3),
      // What isolation leaves to win: the p99 with no neighbour burning at all. A ratio limited by
      // this floor (thread wake-ups on this machine) is not the neighbour's doing.
      no_neighbour_p99_ms: round(p99(alone.latencies), 3),
      no_neighbour_p50_ms: round(median(alone.latencies), 3),
      one_process_vs_floor_ratio: round(baseTail / p99(alone.latencies)!, 1),
    },
  };
}

interface Replies {
  latencies: number[];
  /** Emit to the handler starting, in the worker (wall clock across threads). */
  toHandler: number[];
  /** Handler to its sendMessage reaching the main thread. */
  fromHandler: number[];
  perMessage: number;
  wallMs: number;
}

/** Collects `chatterK <seq> <ranAt>` replies against the emit times in `sentAt`. */
function collector(sentAt: Float64Array): { replies: Replies; onSend(text: string, at: number): void } {
  const replies: Replies = { latencies: [], toHandler: [], fromHandler: [], perMessage: 0, wallMs: 0 };
  const origin = performance.timeOrigin;
  return {
    replies,
    onSend(text, at) {
      if (!text.startsWith("chatter")) return;
      const [, seqText, ranText] = text.split(" ");
      const sent = sentAt[Number(seqText)]!;
      const ran = Number(ranText) - origin;
      replies.latencies.push(at - sent);
      replies.toHandler.push(ran - sent);
      replies.fromHandler.push(at - ran);
    },
  };
}

async function runReplies(
  bench: Awaited<ReturnType<typeof startBenchHost>>,
  texts: string[],
  rate: number,
  alongside?: (i: number) => void,
  fromSender = false,
): Promise<Replies> {
  const data = texts.map((text) => bench.chatData(text));
  const sentAt = new Float64Array(texts.length);
  const { replies, onSend } = collector(sentAt);
  bench.twitch.onSend = onSend;
  const counter = countDeliveries();
  try {
    replies.wallMs = await drive(texts.length, rate, fromSender, sentAt, (i) => {
      bench.host.emit(CHAT, data[i], "twitch");
      alongside?.(i);
    });
    await until(() => replies.latencies.length >= texts.length, 30_000, "every reply", 5);
  } finally {
    counter.stop();
    bench.twitch.onSend = null;
  }
  replies.perMessage = counter.events / Math.max(1, counter.messages);
  return replies;
}

/**
 * The baseline: listeners on an EventEmitter, each doing what a chatter module's command does
 * (ten by default); with `burnEvery`, a burner listener spins `burnMs` on every `burnEvery`-th event.
 */
async function runEmitterReplies(
  texts: string[],
  rate: number,
  options: { burnEvery?: number; burnMs?: number; modules?: number; fromSender?: boolean } = {},
): Promise<Replies> {
  const emitter = new EventEmitter();
  const twitch = new BenchTwitch();
  emitter.on("burn", () => {
    const until = performance.now() + (options.burnMs ?? 0);
    while (performance.now() < until) {
      // The noisy neighbour, on the same thread.
    }
  });
  for (let k = 0; k < (options.modules ?? 10); k++) {
    const prefix = `!chatter${k} `;
    emitter.on(CHAT, async (event: StarEvent<string, { text: string }>) => {
      const text = event.data.text;
      if (!text.startsWith(prefix)) return;
      const ranAt = (performance.timeOrigin + performance.now()).toFixed(3);
      await twitch.sendMessage(`chatter${k} ${Number(text.slice(prefix.length))} ${ranAt}`);
    });
  }
  const source = await startlessChatData(texts);
  const sentAt = new Float64Array(texts.length);
  const { replies, onSend } = collector(sentAt);
  twitch.onSend = onSend;
  replies.wallMs = await drive(texts.length, rate, options.fromSender ?? false, sentAt, (i) => {
    emitter.emit(CHAT, createEvent(CHAT, source[i], "twitch"));
    if (options.burnEvery && i % options.burnEvery === 0) emitter.emit("burn");
  });
  await until(() => replies.latencies.length >= texts.length, 30_000, "every baseline reply", 5);
  return replies;
}

/** Chat data for `texts` without a host (same builder the bench host uses). */
async function startlessChatData(texts: string[]): Promise<unknown[]> {
  const { localChatUser, simulatedEventData } = await import("starstreamer/internal");
  const user = localChatUser("viewer", "viewer");
  return texts.map((text) => simulatedEventData(CHAT, { text, user }));
}
