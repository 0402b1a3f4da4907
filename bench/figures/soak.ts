import { readdirSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { benchModule, startBenchHost } from "../lib/bench-host.ts";
import { type Measured, type RunOptions, round, sleep, until } from "../lib/figure.ts";
import { TickLedger } from "./events-lost.ts";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/** Main-thread RSS after GC, MB. */
async function rss(): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    gc();
    await sleep(50);
    samples.push(process.memoryUsage.rss() / 1048576);
  }
  return samples.sort((a, b) => a - b)[2]!;
}

/** Active handles and OS threads of this process. */
function resources(): { handles: number; threads: number } {
  let threads = 0;
  try {
    threads = readdirSync("/proc/self/task").length;
  } catch {
    threads = 0;
  }
  return { handles: process.getActiveResourcesInfo().length, threads };
}

/**
 * The soak: ticks at 1,000 events/s split over two chatter stand-ins; chatter0 is reloaded every
 * 2 s and chatter1 crashed every 10 s (crash policy widened). Figures: main-thread RSS growth
 * after warm-up, events lost or duplicated, growth of handles + threads.
 */
export async function measureSoak(options: RunOptions): Promise<Measured[]> {
  const durationMs = options.quick ? 12_000 : 120_000;
  const bench = await startBenchHost(
    [
      { from: benchModule("chatter"), as: "chatter0" },
      { from: benchModule("chatter"), as: "chatter1" },
    ],
    { limits: { crash: { maxFailures: 1000, windowMs: 600_000, backoffMs: 50, maxBackoffMs: 200 } } },
  );
  const ledger = new TickLedger();
  bench.twitch.onSend = (text) => ledger.see(text);
  const problems: string[] = [];
  let reloads = 0;
  let crashes = 0;
  let warm: { rss: number; handles: number; threads: number } | null = null;
  let end: { rss: number; handles: number; threads: number } | null = null;
  try {
    const started = performance.now();
    let nextReload = 2000;
    let nextCrash = 10_000;
    let reloading: Promise<void> | null = null;
    while (performance.now() - started < durationMs) {
      const elapsed = performance.now() - started;
      const due = Math.floor(elapsed) + 1;
      while (ledger.sent < due) {
        const n = ledger.sent++;
        bench.host.emit(`custom.chatter${n % 2}.tick`, { n }, "twitch");
      }
      if (elapsed >= nextReload && !reloading) {
        nextReload += 2000;
        bench.edit("chatter0", "module.ts", (s) =>
          s.replace(/\n\/\/ soak \d+\n$|$/, `\n// soak ${reloads}\n`),
        );
        reloading = bench.host.applyChange("chatter0").then((change) => {
          reloads++;
          if (change.action !== "reloaded") problems.push(`reload ${reloads}: ${change.action}`);
          reloading = null;
        });
      }
      if (elapsed >= nextCrash) {
        nextCrash += 10_000;
        crashes++;
        bench.host.emit("custom.chatter1.die", {}, "twitch");
      }
      if (!warm && elapsed >= durationMs * 0.2) warm = { rss: await rss(), ...resources() };
      await sleep(1);
    }
    await reloading;
    await until(
      () => ["chatter0", "chatter1"].every((m) => bench.host.registry.info(m).state === "enabled"),
      20_000,
      "both modules serving",
      5,
    );
    await ledger.settle(30_000);
    await sleep(1000); // the last retired worker finishes terminating
    end = { rss: await rss(), ...resources() };
    const info = bench.host.registry.info("chatter1");
    if (info.restarts < crashes) problems.push(`${crashes} crashes but ${info.restarts} restarts`);
  } finally {
    bench.twitch.onSend = null;
    await bench.close();
  }
  if (!warm || !end) throw new Error("the soak ended before its samples");
  const lost = ledger.lost + ledger.duplicated;
  if (lost > 0) problems.push(`${ledger.lost} lost, ${ledger.duplicated} duplicated`);
  const growth = end.handles - warm.handles + (end.threads - warm.threads);
  const common = {
    baseline: null,
    ratio: null,
    stand_in: true as const,
    details: {
      duration_s: durationMs / 1000,
      events_sent: ledger.sent,
      reloads,
      crashes,
      rss_after_warmup_mb: round(warm.rss, 1),
      rss_end_mb: round(end.rss, 1),
      handles: [warm.handles, end.handles],
      threads: [warm.threads, end.threads],
    },
  };
  const note = `${durationMs / 1000} s at 1,000 events/s over chatter0 (reloaded every 2 s) and chatter1 (crashed every 10 s)`;
  return [
    {
      name: "soak_rss_growth_mb",
      unit: "MB",
      n: 1,
      median: round(end.rss - warm.rss, 1),
      p99: null,
      note,
      ...common,
    },
    {
      name: "soak_events_lost",
      unit: "events",
      n: ledger.sent,
      median: lost,
      p99: null,
      note,
      ...common,
      ...(problems.length > 0 ? { problems } : {}),
    },
    {
      name: "soak_handle_growth",
      unit: "handles + threads",
      n: 1,
      median: growth,
      p99: null,
      note,
      ...common,
    },
  ];
}
