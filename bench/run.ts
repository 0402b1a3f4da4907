/**
 * `npm run bench`: measures StarStreamer's figures on a real host with real workers, each next to
 * a baseline run in the same process or the same run, prints a table and writes
 * bench/results/latest.json. `--quick` is the CI smoke run: fewer samples, same code paths; it
 * fails only when a figure could not be measured, never because a target was missed.
 * `--only name,name` runs a subset (for working on one figure).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { measureEconomy } from "./figures/economy.ts";
import { measureCommandReply, measureDelivery } from "./figures/event-path.ts";
import { measureWorkerRss } from "./figures/memory.ts";
import { measureColdStart, measureRestart } from "./figures/process.ts";
import { measureReload } from "./figures/reload.ts";
import { measureReloadEventsLost } from "./figures/reload-events.ts";
import { measureSaveToLive } from "./figures/save-to-live.ts";
import { repoRoot } from "./lib/bench-host.ts";
import { installDeliveryCounter } from "./lib/delivery-counter.ts";
import type { Figure, RunOptions } from "./lib/figure.ts";
import { printTable } from "./lib/table.ts";

/** The figures in the order the issue lists them; the JSON keeps this order. */
const NAMES = [
  "reload_ms",
  "save_to_live_ms",
  "reload_vs_restart_ratio",
  "command_reply_ms",
  "delivery_vs_raw_port_ratio",
  "prefilter_us",
  "worker_rss_mb",
  "cold_start_ms",
  "economy_transfers_per_s",
  "reload_events_lost",
] as const;

type Name = (typeof NAMES)[number];

interface Step {
  names: Name[];
  run(options: RunOptions, done: Map<string, Figure>): Promise<Figure[]>;
}

/** In run order: in-process figures first, then the ones that spawn processes. */
const STEPS: Step[] = [
  { names: ["reload_ms"], run: async (o) => [await measureReload(o)] },
  {
    names: ["reload_vs_restart_ratio"],
    run: async (o, done) => [await measureRestart(o, done.get("reload_ms")?.median ?? null)],
  },
  { names: ["command_reply_ms", "prefilter_us"], run: (o) => measureCommandReply(o) },
  { names: ["delivery_vs_raw_port_ratio"], run: async (o) => [await measureDelivery(o)] },
  { names: ["economy_transfers_per_s"], run: async (o) => [await measureEconomy(o)] },
  { names: ["reload_events_lost"], run: async (o) => [await measureReloadEventsLost(o)] },
  { names: ["save_to_live_ms"], run: async (o) => [await measureSaveToLive(o)] },
  { names: ["worker_rss_mb"], run: async (o) => [await measureWorkerRss(o)] },
  { names: ["cold_start_ms"], run: async (o) => [await measureColdStart(o)] },
];

function failed(name: string, error: unknown): Figure {
  return {
    name,
    unit: "",
    n: 0,
    median: null,
    p99: null,
    baseline: null,
    ratio: null,
    target: "",
    met: false,
    error: error instanceof Error ? error.message : String(error),
  };
}

async function main(): Promise<number> {
  installDeliveryCounter();
  const args = process.argv.slice(2);
  const quick = args.includes("--quick");
  const onlyIndex = args.indexOf("--only");
  const only = onlyIndex >= 0 ? new Set((args[onlyIndex + 1] ?? "").split(",")) : null;
  const options: RunOptions = {
    quick,
    log: (message) => process.stderr.write(`[bench] ${message}\n`),
  };
  const started = performance.now();
  const done = new Map<string, Figure>();
  for (const step of STEPS) {
    if (only && !step.names.some((n) => only.has(n))) continue;
    const stepStarted = performance.now();
    options.log(`${step.names.join(", ")} ...`);
    try {
      for (const figure of await step.run(options, done)) done.set(figure.name, figure);
    } catch (error) {
      options.log(`${step.names.join(", ")} could not be measured: ${(error as Error).stack ?? error}`);
      for (const name of step.names) done.set(name, failed(name, error));
    }
    options.log(`${step.names.join(", ")} took ${((performance.now() - stepStarted) / 1000).toFixed(1)} s`);
  }
  const figures = NAMES.filter((n) => done.has(n)).map((n) => done.get(n)!);
  const result = {
    node: process.version,
    cpus: cpus().length,
    cpu_model: cpus()[0]?.model ?? "unknown",
    platform: `${process.platform} ${process.arch}`,
    mode: quick ? "quick" : "full",
    date: new Date().toISOString(),
    duration_s: Math.round((performance.now() - started) / 100) / 10,
    figures,
  };
  const dir = join(repoRoot, "bench", "results");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "latest.json"), `${JSON.stringify(result, null, 2)}\n`);
  printTable(result);
  const unmeasured = figures.filter((f) => f.median === null);
  if (unmeasured.length > 0) {
    process.stderr.write(`could not measure: ${unmeasured.map((f) => f.name).join(", ")}\n`);
    return 1;
  }
  return 0;
}

// Exit explicitly: a module worker or child left behind by a failed figure must not hang CI.
main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`${(error as Error).stack ?? error}\n`);
    process.exit(1);
  },
);
