import { performance } from "node:perf_hooks";
import { MessageChannel, Worker } from "node:worker_threads";
import { createEvent } from "starstreamer/internal";
import { benchModule, startBenchHost } from "../lib/bench-host.ts";
import { countDeliveries } from "../lib/delivery-counter.ts";
import { type Measured, median, nextTurn, type RunOptions, round, sleep, until } from "../lib/figure.ts";

const CHAT = "twitch.chat.message";

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
    // info() computes the module's latency quantiles (a sort): asked once per 16 chunks, so the
    // bench's own bookkeeping stays off the main thread it measures; 4,096 events are far below
    // the queue's capacity.
    if (sent % (CHUNK * 16) === 0) while (registry.info("sink").queued > 5000) await sleep(1);
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
