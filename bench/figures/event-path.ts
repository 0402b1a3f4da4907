import { EventEmitter } from "node:events";
import { performance } from "node:perf_hooks";
import { MessageChannel, Worker } from "node:worker_threads";
import type { StarEvent } from "starstreamer";
import { createEvent, simulatedEventData } from "starstreamer/internal";
import { BenchTwitch, benchModule, startBenchHost } from "../lib/bench-host.ts";
import { countDeliveries } from "../lib/delivery-counter.ts";
import {
  type Figure,
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
async function paced(count: number, rate: number, emit: (i: number) => void): Promise<number> {
  const started = performance.now();
  let i = 0;
  while (i < count) {
    const due = Math.min(count, Math.floor(((performance.now() - started) * rate) / 1000) + 1);
    while (i < due) emit(i++);
    await sleep(1);
  }
  return performance.now() - started;
}

/**
 * command_reply_ms and prefilter_us, on one host with 10 chat modules (chatter0..chatter9, each
 * with a command, a keyword, a follow and a custom-event handler).
 *
 * command_reply_ms: `!chatterK <seq>` at 1,000 events/s round-robin over the modules; the time from
 * `host.emit` (validation included) to the module's `ctx.twitch.sendMessage` reaching the main
 * thread. Baseline: the same handlers on an in-process EventEmitter, same events, same pacing.
 *
 * prefilter_us: main-thread cost of a chat message no handler wants (no command, no keyword
 * match), through `bus.publish` (listeners + trigger pre-filter), per event.
 */
export async function measureCommandReply(options: RunOptions): Promise<Figure[]> {
  const count = options.quick ? 1000 : 10_000;
  const rate = 1000;
  const modules = Array.from({ length: 10 }, (_, k) => ({ from: benchModule("chatter"), as: `chatter${k}` }));
  const bench = await startBenchHost(modules);
  const texts = Array.from({ length: count }, (_, i) => `!chatter${i % 10} ${i}`);
  let reply: Replies;
  let prefilter: { perEvent: number[]; validateUs: number; unsubscribedUs: number; routed: number };
  try {
    // Warm-up: JIT on both sides, every worker's first wake-up.
    await runReplies(bench, texts.slice(0, 500), rate);
    reply = await runReplies(bench, texts, rate);

    const quiet = createEvent(
      CHAT,
      bench.chatData("just chatting about the stream, nothing for the bot"),
      "twitch",
    );
    const routed = bench.host.registry.route(quiet);
    const batches = options.quick ? 50 : 400;
    const perEvent: number[] = [];
    for (let b = -20; b < batches; b++) {
      const started = performance.now();
      for (let i = 0; i < 1000; i++) bench.host.bus.publish(quiet);
      if (b >= 0) perEvent.push(performance.now() - started); // ms per 1,000 = us per event
      if (b % 10 === 0) await nextTurn();
    }
    const data = bench.chatData("just chatting about the stream, nothing for the bot");
    let t = performance.now();
    for (let i = 0; i < 10_000; i++) createEvent(CHAT, data, "twitch");
    const validateUs = ((performance.now() - t) * 1000) / 10_000;
    const raid = createEvent("twitch.raid", simulatedEventData("twitch.raid"), "twitch");
    t = performance.now();
    for (let i = 0; i < 100_000; i++) bench.host.bus.publish(raid);
    const unsubscribedUs = ((performance.now() - t) * 1000) / 100_000;
    prefilter = { perEvent, validateUs, unsubscribedUs, routed };
  } finally {
    await bench.close();
  }

  await runEmitterReplies(texts.slice(0, 500), rate);
  const baseline = (await runEmitterReplies(texts, rate)).latencies;
  const p50 = median(reply.latencies)!;
  const tail = p99(reply.latencies)!;
  const baseMedian = median(baseline)!;
  const pre50 = median(prefilter.perEvent)!;
  return [
    {
      name: "command_reply_ms",
      unit: "ms",
      n: reply.latencies.length,
      median: round(p50, 3),
      p99: round(tail, 3),
      baseline: { name: "same handlers on an in-process EventEmitter", median: round(baseMedian, 4)! },
      ratio: round(p50 / baseMedian, 1),
      target: "p50 <= 0.3 ms, p99 <= 2 ms",
      met: p50 <= 0.3 && tail <= 2,
      note: "10 chat modules loaded (chatter stand-ins), 1,000 events/s round-robin; host.emit (zod validation included) to sendMessage on the main thread",
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
    },
    {
      name: "prefilter_us",
      unit: "us",
      n: prefilter.perEvent.length,
      median: round(pre50, 3),
      p99: round(p99(prefilter.perEvent), 3),
      baseline: null,
      ratio: null,
      target: "<= 2 us",
      met: pre50 <= 2,
      note: "bus.publish of a chat message no trigger matches, 10 chat modules (10 keyword handlers evaluated, command map missed); each sample is the mean of 1,000 events",
      details: {
        modules_woken: prefilter.routed,
        unsubscribed_type_us: round(prefilter.unsubscribedUs, 3),
        validation_createEvent_us: round(prefilter.validateUs, 2),
      },
    },
  ];
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
): Promise<Replies> {
  const data = texts.map((text) => bench.chatData(text));
  const sentAt = new Float64Array(texts.length);
  const { replies, onSend } = collector(sentAt);
  bench.twitch.onSend = onSend;
  const counter = countDeliveries();
  try {
    replies.wallMs = await paced(texts.length, rate, (i) => {
      sentAt[i] = performance.now();
      bench.host.emit(CHAT, data[i], "twitch");
    });
    await until(() => replies.latencies.length >= texts.length, 20_000, "every reply", 5);
  } finally {
    counter.stop();
    bench.twitch.onSend = null;
  }
  replies.perMessage = counter.events / Math.max(1, counter.messages);
  return replies;
}

/** The baseline: ten listeners on an EventEmitter, each doing what a chatter module's command does. */
async function runEmitterReplies(texts: string[], rate: number): Promise<Replies> {
  const emitter = new EventEmitter();
  const twitch = new BenchTwitch();
  for (let k = 0; k < 10; k++) {
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
  replies.wallMs = await paced(texts.length, rate, (i) => {
    sentAt[i] = performance.now();
    emitter.emit(CHAT, createEvent(CHAT, source[i], "twitch"));
  });
  await until(() => replies.latencies.length >= texts.length, 20_000, "every baseline reply", 5);
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
port.on("message", (message) => {
  if (workerData.json) JSON.parse(message);
  port.postMessage(1);
});
`;

/** Raw MessagePort round trips: post `count` payloads (many in flight), resolve when all are acknowledged. */
async function rawPortRate(payload: unknown, count: number, json: boolean): Promise<number> {
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(RAW_WORKER, {
    eval: true,
    workerData: { port: port2, json },
    transferList: [port2],
  });
  let acked = 0;
  port1.on("message", () => {
    acked++;
  });
  try {
    // Warm-up.
    for (let i = 0; i < 1000; i++) port1.postMessage(json ? JSON.stringify(payload) : payload);
    await until(() => acked >= 1000, 10_000, "raw warm-up acks", 1);
    acked = 0;
    const started = performance.now();
    let sent = 0;
    while (sent < count) {
      for (let i = 0; i < CHUNK && sent < count; i++, sent++) {
        port1.postMessage(json ? JSON.stringify(payload) : payload);
      }
      await nextTurn();
    }
    await until(() => acked >= count, 30_000, "raw acks", 1);
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
    while (registry.info("sink").queued > 15_000) await sleep(1);
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
export async function measureDelivery(options: RunOptions): Promise<Figure> {
  const count = options.quick ? 5000 : 30_000;
  const rounds = options.quick ? 1 : 5;
  const bench = await startBenchHost([{ from: benchModule("sink") }], { queueCapacity: 20_000 });
  const host: number[] = [];
  const raw: number[] = [];
  const rawJson: number[] = [];
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
      const p = await rawPortRate(payload, count, false);
      rawJson.push(await rawPortRate(payload, count, true));
      host.push(h);
      raw.push(p);
      ratios.push(h / p);
    }
    const errors = bench.host.registry.info("sink").errors;
    if (errors > 0) throw new Error(`sink reported ${errors} handler errors`);
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
      name: "raw MessagePort round trips of the same event object, per s",
      median: Math.round(median(raw)!),
    },
    ratio: round(ratio, 3),
    target: ">= 0.333 (1/3 of raw MessagePort)",
    met: ratio >= 1 / 3,
    note: "p99 is the worst round; host path = host.emit (validation) + pre-filter + queue + worker + handler + report",
    details: {
      host_events_per_s: Math.round(median(host)!),
      raw_json_string_per_s: Math.round(median(rawJson)!),
      ratio_vs_raw_json_string: round(median(host)! / median(rawJson)!, 3),
      payload_bytes: payloadBytes,
      events_per_cross_thread_delivery: round(perMessage, 1),
    },
  };
}
