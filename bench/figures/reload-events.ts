import { performance } from "node:perf_hooks";
import { benchModule, startBenchHost } from "../lib/bench-host.ts";
import { type Figure, median, p99, type RunOptions, round, sleep, until } from "../lib/figure.ts";

/**
 * reload_events_lost: `custom.chatter0.tick {n}` at 1,000 events/s while chatter0 is edited and
 * reloaded 20 times, one after another; every tick handler answers `tick n`. Counts the ticks
 * never answered (lost) and answered more than once (duplicated) once everything has settled.
 */
export async function measureReloadEventsLost(options: RunOptions): Promise<Figure> {
  const reloads = options.quick ? 5 : 20;
  const rate = 1000;
  const bench = await startBenchHost([
    { from: benchModule("chatter"), as: "chatter0" },
    { from: benchModule("chatter"), as: "chatter1" },
  ]);
  const answered = new Map<number, number>();
  let replies = 0;
  bench.twitch.onSend = (text) => {
    if (!text.startsWith("tick ")) return;
    const n = Number(text.slice(5));
    answered.set(n, (answered.get(n) ?? 0) + 1);
    replies++;
  };
  const durations: number[] = [];
  let sent = 0;
  let failedReloads = 0;
  let reordered = 0;
  try {
    let reloading = true;
    const reloader = (async () => {
      await sleep(200);
      for (let r = 0; r < reloads; r++) {
        bench.edit("chatter0", "module.ts", (source) =>
          source.replace(/\n\/\/ edit \d+\n$|$/, `\n// edit ${r}\n`),
        );
        const result = await bench.host.registry.reload("chatter0");
        if (result.ok) durations.push(result.durationMs);
        else failedReloads++;
        await sleep(40);
      }
      await sleep(200);
      reloading = false;
    })();
    const started = performance.now();
    while (reloading) {
      const due = Math.floor(((performance.now() - started) * rate) / 1000) + 1;
      while (sent < due) bench.host.emit("custom.chatter0.tick", { n: sent++ }, "twitch");
      await sleep(1);
    }
    await reloader;
    await until(() => answered.size >= sent, 20_000, "every tick to be answered", 5).catch(() => undefined);
    await sleep(300); // a duplicate would arrive late
    let previous = -1;
    for (const n of answered.keys()) {
      if (n < previous) reordered++;
      previous = n;
    }
  } finally {
    bench.twitch.onSend = null;
    await bench.close();
  }
  let lost = 0;
  for (let n = 0; n < sent; n++) if (!answered.has(n)) lost++;
  const duplicated = replies - answered.size;
  const total = lost + duplicated;
  return {
    name: "reload_events_lost",
    unit: "events",
    n: sent,
    median: total,
    p99: null,
    baseline: null,
    ratio: null,
    target: "0 lost or duplicated",
    met: total === 0 && failedReloads === 0,
    stand_in: true,
    note: `${sent.toLocaleString("en-US")} tick events at 1,000/s across ${reloads} reloads of a chatter stand-in (median = lost + duplicated)`,
    details: {
      lost,
      duplicated,
      answered_out_of_order: reordered,
      reloads_ok: durations.length,
      reloads_failed: failedReloads,
      reload_under_load_p50_ms: round(median(durations), 1),
      reload_under_load_p99_ms: round(p99(durations), 1),
    },
  };
}
