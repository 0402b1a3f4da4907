import { EventEmitter } from "node:events";
import { performance } from "node:perf_hooks";
import { MessageChannel, Worker } from "node:worker_threads";
import type { StarEvent } from "starstreamer";
import { createEvent } from "starstreamer/internal";
import { BenchTwitch, benchModule, startBenchHost } from "../lib/bench-host.ts";
import { countDeliveries } from "../lib/delivery-counter.ts";
import {
  type Measured,
  mean,
  median,
  nextTurn,
  p99,
  type RunOptions,
  round,
  sleep,
  until,
} from "../lib/figure.ts";

const CHAT = "twitch.chat.message";

/**
 * Emits `count` events at `rate` per second, as evenly as the timer allows: each timer turn sends
 * the events that are due, so a late turn catches up instead of lowering the rate.
 */
async function paced(
  count: number,
  rate: number,
  emit: (i: number, scheduled: number) => void,
): Promise<number> {
  const started = performance.now();
  let i = 0;
  while (i < count) {
    const due = Math.min(count, Math.floor(((performance.now() - started) * rate) / 1000) + 1);
    for (; i < due; i++) emit(i, started + (i * 1000) / rate);
    await sleep(1);
  }
  return performance.now() - started;
}

/** One command_reply_ms figure from its replies and the EventEmitter baseline. */
function replyFigure(variant: string, reply: Replies, baseline: number[], note: string): Measured {
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
  return [
    replyFigure(
      "sustained",
      sustained,
      baseline,
      "10 chat modules (chatter stand-ins), 1,000 events/s round-robin; host.emit (zod validation included) to sendMessage on the main thread",
    ),
    replyFigure(
      "5_per_s",
      cold,
      baselineCold,
      "the same 10 modules at 5 events/s: every worker asleep between its events",
    ),
  ];
}

/**
 * noisy_neighbor_reply_ms: `!chatter0 <seq>` at 200/s while the burner stand-in burns 20 ms of CPU
 * for each `!burn 20` sent at 25/s. Baseline: the same two handlers on one EventEmitter.
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
  try {
    const burn = bench.chatData("!burn 20");
    await runReplies(bench, texts.slice(0, 100), 200);
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
    fromSchedule: true,
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
    note: "chatter0 replies at 200/s while the burner stand-in burns 20 ms per !burn at 25/s; latency from each message's scheduled arrival (a message that arrives during a burn waits in one process); ratio = one-process p99 / isolated p99",
    details: { one_process_p50_ms: round(median(together.latencies), 3) },
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
  fromSchedule = false,
): Promise<Replies> {
  const data = texts.map((text) => bench.chatData(text));
  const sentAt = new Float64Array(texts.length);
  const { replies, onSend } = collector(sentAt);
  bench.twitch.onSend = onSend;
  const counter = countDeliveries();
  try {
    replies.wallMs = await paced(texts.length, rate, (i, scheduled) => {
      sentAt[i] = fromSchedule ? scheduled : performance.now();
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
  options: { burnEvery?: number; burnMs?: number; modules?: number; fromSchedule?: boolean } = {},
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
  replies.wallMs = await paced(texts.length, rate, (i, scheduled) => {
    sentAt[i] = options.fromSchedule ? scheduled : performance.now();
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

const RAW_WORKER = `
const { workerData } = require("node:worker_threads");
const port = workerData.port;
port.on("message", (batch) => {
  for (const json of batch) JSON.parse(json);
  port.postMessage(1);
});
`;

/**
 * The raw baseline, batched as the host batches: arrays of `batch` JSON strings per message, each
 * parsed by a bare worker, one acknowledgement per batch; events per second.
 */
async function rawPortRate(payload: unknown, count: number, batch: number): Promise<number> {
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(RAW_WORKER, { eval: true, workerData: { port: port2 }, transferList: [port2] });
  let acked = 0;
  port1.on("message", () => {
    acked++;
  });
  const send = (n: number) => {
    const strings: string[] = [];
    for (let i = 0; i < n; i++) strings.push(JSON.stringify(payload));
    port1.postMessage(strings);
  };
  try {
    for (let i = 0; i < 20; i++) send(batch); // warm-up
    await until(() => acked >= 20, 10_000, "raw warm-up acks", 1);
    acked = 0;
    const started = performance.now();
    let sent = 0;
    let batches = 0;
    while (sent < count) {
      for (let i = 0; i < CHUNK && sent < count; i += batch) {
        const n = Math.min(batch, count - sent);
        send(n);
        sent += n;
        batches++;
      }
      await nextTurn();
    }
    await until(() => acked >= batches, 30_000, "raw acks", 1);
    return (count / (performance.now() - started)) * 1000;
  } finally {
    port1.close();
    await worker.terminate();
  }
}

const CHUNK = 256;

/** Events `!sink` handled per second by the sink module, many in flight, the queue kept below capacity. */
async function hostRate(
  bench: Awaited<ReturnType<typeof startBenchHost>>,
  data: unknown,
  count: number,
): Promise<number> {
  const registry = bench.host.registry;
  const base = registry.info("sink").eventsHandled;
  const started = performance.now();
  let sent = 0;
  while (sent < count) {
    for (let i = 0; i < CHUNK && sent < count; i++, sent++) bench.host.emit(CHAT, data, "twitch");
    await nextTurn();
    while (registry.info("sink").queued > 5000) await sleep(1);
  }
  await until(
    () => registry.info("sink").eventsHandled - base >= count,
    30_000,
    "the sink to handle every event",
    1,
  );
  const rate = (count / (performance.now() - started)) * 1000;
  if (registry.info("sink").dropped > 0) throw new Error("the sink's queue overflowed");
  return rate;
}

/**
 * delivery_vs_raw_port_ratio: chat events `!sink` delivered to one module (through host.emit,
 * pre-filter, queue, worker, handler, report back), per second, many in flight; divided by raw
 * MessagePort round trips of the same event object in the same run (rounds alternate).
 */
export async function measureDelivery(options: RunOptions): Promise<Measured> {
  const count = options.quick ? 5000 : 30_000;
  const rounds = options.quick ? 1 : 5;
  const bench = await startBenchHost([{ from: benchModule("sink") }]);
  const host: number[] = [];
  const raw: number[] = [];
  const raw64: number[] = [];
  const raw512: number[] = [];
  const ratios: number[] = [];
  let perMessage = 0;
  let payloadBytes = 0;
  try {
    const data = bench.chatData(
      "!sink this is what a typical chat line looks like, some words and an emote name Kappa",
    );
    const payload = createEvent(CHAT, data, "twitch");
    payloadBytes = Buffer.byteLength(JSON.stringify(payload));
    await hostRate(bench, data, 2000);
    for (let r = 0; r < rounds; r++) {
      const counter = countDeliveries();
      const h = await hostRate(bench, data, count);
      counter.stop();
      perMessage = counter.events / Math.max(1, counter.messages);
      const small = await rawPortRate(payload, count, 64);
      const large = await rawPortRate(payload, count, 512);
      raw64.push(small);
      raw512.push(large);
      const p = Math.max(small, large);
      host.push(h);
      raw.push(p);
      ratios.push(h / p);
    }
    const info = bench.host.registry.info("sink");
    if (info.errors > 0) throw new Error(`sink reported ${info.errors} handler errors`);
    if (info.dropped > 0) throw new Error(`the sink's queue dropped ${info.dropped} events`);
  } finally {
    await bench.close();
  }
  const ratio = median(ratios)!;
  return {
    name: "delivery_vs_raw_port_ratio",
    unit: "x",
    n: rounds,
    median: round(ratio, 3),
    p99: round(Math.min(...ratios), 3),
    baseline: {
      name: "raw MessagePort, batches of JSON strings, one ack per batch (faster of 64/512), events/s",
      median: Math.round(median(raw)!),
    },
    ratio: round(ratio, 3),
    stand_in: true,
    note: "sink stand-in at the default queue capacity; p99 is the worst round; host path = host.emit (validation) + pre-filter + queue + worker + handler + report",
    details: {
      host_events_per_s: Math.round(median(host)!),
      raw_batch_64_per_s: Math.round(median(raw64)!),
      raw_batch_512_per_s: Math.round(median(raw512)!),
      payload_bytes: payloadBytes,
      events_per_cross_thread_delivery: round(perMessage, 1),
    },
  };
}
