import { readdirSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { benchModule, startBenchHost } from "../lib/bench-host.ts";
import { type Measured, type RunOptions, round, sleep, until } from "../lib/figure.ts";

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

/**
 * The process's RSS once it has come to rest: after the load stops, the workers' V8 heaps shrink
 * in steps (about 2 s and again about 9 s later, when their memory reducers run), so a sample taken
 * a second after the load is 20-50 MB above where the process settles. Waits at least
 * `minRestMs`, then until five readings a second apart stay within 1 MB (at most 30 s).
 */
async function restingRss(minRestMs = 12_000): Promise<{ rss: number; restMs: number }> {
  const started = performance.now();
  const readings: number[] = [];
  for (;;) {
    readings.push(await rss());
    const last = readings.slice(-5);
    const restMs = performance.now() - started;
    const steady = last.length === 5 && Math.max(...last) - Math.min(...last) < 1;
    if ((restMs >= minRestMs && steady) || restMs >= 30_000) return { rss: last.at(-1)!, restMs };
    await sleep(1000);
  }
}

/** Least-squares slope of `points` (x in ms, y in MB), MB per minute. */
function slopePerMinute(points: Array<[number, number]>): number | null {
  if (points.length < 3) return null;
  const n = points.length;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den === 0 ? null : (num / den) * 60_000;
}

/**
 * Which ticks were answered, and how often, in a byte per tick allocated before the run: the
 * ledger lives in the process whose memory is measured, so it must not grow while it runs (a Map
 * of 120,000 ticks added 2.5 MB of heap between the two samples).
 */
class TickCounts {
  readonly #counts: Uint8Array;
  answered = 0;
  replies = 0;
  sent = 0;

  constructor(capacity: number) {
    this.#counts = new Uint8Array(capacity);
  }

  /** Room for the next tick. */
  get full(): boolean {
    return this.sent >= this.#counts.length;
  }

  /** Feeds a chat message the bench twitch saw. */
  see(text: string): void {
    if (!text.startsWith("tick ")) return;
    const n = Number(text.slice(5));
    this.replies++;
    if (!Number.isInteger(n) || n < 0 || n >= this.#counts.length) return;
    if (this.#counts[n] === 0) this.answered++;
    if (this.#counts[n]! < 255) this.#counts[n]!++;
  }

  has(n: number): boolean {
    return this.#counts[n] !== 0;
  }

  get lost(): number {
    return this.sent - this.answered;
  }

  get duplicated(): number {
    return this.replies - this.answered;
  }

  /** Waits until the last tick (ordered after the rest of its module's) is answered, then for every tick. */
  async settle(timeoutMs: number): Promise<void> {
    const last = this.sent - 1;
    await until(() => this.answered >= this.sent || this.has(last), timeoutMs, "the last tick", 5).catch(
      () => undefined,
    );
    await until(() => this.answered >= this.sent, 2000, "every tick", 5).catch(() => undefined);
  }
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
 * 2 s and chatter1 crashed every 10 s (crash policy widened). Figures: RSS growth between two
 * samples at rest (after the warm-up, with the load paused, and after the run), the in-run slope,
 * events lost or duplicated, growth of handles + threads.
 */
export async function measureSoak(options: RunOptions): Promise<Measured[]> {
  // Two minutes measured after a minute of warm-up: at rest, RSS settles within about a minute of
  // load (an early sample read up to 16 MB above the later ones) and stays there.
  const measuredMs = options.quick ? 12_000 : 120_000;
  const warmupMs = options.quick ? 4000 : 60_000;
  const durationMs = warmupMs + measuredMs;
  // In-run samples start once the main heap has grown back from the GCs of the rest sample.
  const regrowMs = options.quick ? 2000 : 40_000;
  const bench = await startBenchHost(
    [
      { from: benchModule("chatter"), as: "chatter0" },
      { from: benchModule("chatter"), as: "chatter1" },
    ],
    { limits: { crash: { maxFailures: 1000, windowMs: 600_000, backoffMs: 50, maxBackoffMs: 200 } } },
  );
  const ledger = new TickCounts(Math.ceil(durationMs * 1.1) + 1000);
  bench.twitch.onSend = (text) => ledger.see(text);
  const problems: string[] = [];
  let reloads = 0;
  let crashes = 0;
  let warm: { rss: number; restMs: number; handles: number; threads: number } | null = null;
  let end: { rss: number; restMs: number; handles: number; threads: number } | null = null;
  // RSS after GC just before each crash (the same point of the 2 s reload and 10 s crash cycles),
  // from `regrowMs` after the warm-up sample on.
  const inRun: Array<[number, number]> = [];
  let edits = 0;
  const touch = (module: string) =>
    bench.edit(module, "module.ts", (s) => s.replace(/\n\/\/ soak \d+\n$|$/, `\n// soak ${edits++}\n`));
  // Every worker alive at a rest sample is a fresh one: a worker that has been busy keeps a young
  // generation grown to its maximum until a full GC happens to shrink it, 20-70 MB that come
  // and go between runs and would drown what the host itself keeps.
  const atRest = async () => {
    for (const module of ["chatter0", "chatter1"]) {
      touch(module);
      const change = await bench.host.applyChange(module);
      if (change.action !== "reloaded") problems.push(`rest reload of ${module}: ${change.action}`);
    }
    return { ...(await restingRss()), ...resources() };
  };
  const serving = () =>
    until(
      () => ["chatter0", "chatter1"].every((m) => bench.host.registry.info(m).state === "enabled"),
      20_000,
      "both modules serving",
      5,
    );
  try {
    let paused = 0;
    const started = performance.now();
    let nextReload = 2000;
    let nextCrash = 10_000;
    let reloading: Promise<void> | null = null;
    for (;;) {
      const elapsed = performance.now() - started - paused;
      if (elapsed >= durationMs) break;
      const due = Math.floor(elapsed) + 1;
      while (ledger.sent < due && !ledger.full) {
        const n = ledger.sent++;
        bench.host.emit(`custom.chatter${n % 2}.tick`, { n }, "twitch");
      }
      if (elapsed >= nextReload && !reloading) {
        nextReload += 2000;
        touch("chatter0");
        reloading = bench.host.applyChange("chatter0").then((change) => {
          reloads++;
          if (change.action !== "reloaded") problems.push(`reload ${reloads}: ${change.action}`);
          reloading = null;
        });
      }
      if (elapsed >= nextCrash) {
        nextCrash += 10_000;
        if (warm && elapsed >= warmupMs + regrowMs) {
          gc();
          inRun.push([elapsed, process.memoryUsage.rss() / 1048576]);
        }
        crashes++;
        bench.host.emit("custom.chatter1.die", {}, "twitch");
      }
      if (!warm && elapsed >= warmupMs) {
        // The load pauses (the clock with it) so that this sample and the last one are taken alike.
        const pausedAt = performance.now();
        await reloading;
        await serving();
        await ledger.settle(30_000);
        warm = await atRest();
        paused += performance.now() - pausedAt;
      }
      await sleep(1);
    }
    await reloading;
    await serving();
    await ledger.settle(30_000);
    end = await atRest();
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
  const slope = slopePerMinute(inRun);
  const inRunRss = inRun.map(([, mb]) => mb);
  const common = {
    baseline: null,
    ratio: null,
    stand_in: true as const,
    details: {
      warmup_s: warmupMs / 1000,
      measured_s: measuredMs / 1000,
      events_sent: ledger.sent,
      reloads,
      crashes,
      rss_after_warmup_mb: round(warm.rss, 1),
      rss_end_mb: round(end.rss, 1),
      rest_s: [round(warm.restMs / 1000, 1), round(end.restMs / 1000, 1)],
      in_run_rss_slope_mb_per_min: round(slope, 2),
      in_run_rss_mb: {
        n: inRun.length,
        min: round(Math.min(...inRunRss), 1),
        max: round(Math.max(...inRunRss), 1),
      },
      handles: [warm.handles, end.handles],
      threads: [warm.threads, end.threads],
    },
  };
  const note = `${measuredMs / 1000} s after ${warmupMs / 1000} s of warm-up, at 1,000 events/s over chatter0 (reloaded every 2 s) and chatter1 (crashed every 10 s); RSS sampled at rest after the warm-up and at the end`;
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
