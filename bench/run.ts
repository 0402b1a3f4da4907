/**
 * `npm run bench`: measures StarStreamer's figures on a real host with real workers (and the real
 * `starstreamer` command), each next to a baseline from the same run, prints a table and writes
 * bench/results/latest.json. Targets come from one table (lib/targets.ts).
 *
 *   --quick         the CI run: fewer samples, same code paths; fails on lost or duplicated events,
 *                   failed reloads, broken invariants or an unmeasured figure, warns on a missed target
 *   --only a,b      only the steps that produce these figures
 *   --write-docs    regenerates the generated part of docs/performance.md from this run (with
 *                   --only, the figures re-run replace theirs in the last result of the same mode)
 *   --docs-from-latest  only regenerates docs/performance.md from bench/results/latest.json
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { measureDelivery } from "./figures/delivery.ts";
import { measureEconomy } from "./figures/economy.ts";
import { measureCommandReply, measureNoisyNeighbor } from "./figures/event-path.ts";
import {
  measureFloodEventsLost,
  measureReloadEventsLost,
  measureRestartEventsLost,
} from "./figures/events-lost.ts";
import { measureWorkerRss } from "./figures/memory.ts";
import { measurePrefilter } from "./figures/prefilter.ts";
import { measureProcesses } from "./figures/process.ts";
import { measureReloads } from "./figures/reload.ts";
import { measureSoak } from "./figures/soak.ts";
import { repoRoot } from "./lib/bench-host.ts";
import { installDeliveryCounter } from "./lib/delivery-counter.ts";
import type { Figure, Measured, RunOptions } from "./lib/figure.ts";
import { printTable } from "./lib/table.ts";
import { TARGETS, withTarget } from "./lib/targets.ts";
import { verdict } from "./lib/verdict.ts";
import { writeDocs } from "./lib/write-docs.ts";

interface Step {
  names: string[];
  run(options: RunOptions, done: Figure[]): Promise<Measured[]>;
}

const one = (measure: (o: RunOptions) => Promise<Measured>) => async (o: RunOptions) => [await measure(o)];

/** In run order: in-process figures first, then the ones that spawn processes, the soak last. */
const STEPS: Step[] = [
  { names: ["reload_first_ms", "reload_switch_ms", "reload_repeat_ms"], run: measureReloads },
  { names: ["command_reply_ms"], run: measureCommandReply },
  { names: ["noisy_neighbor_reply_ms"], run: one(measureNoisyNeighbor) },
  { names: ["prefilter_us", "validation_prefilter_us"], run: measurePrefilter },
  { names: ["delivery_vs_raw_port_ratio"], run: one(measureDelivery) },
  { names: ["economy_transfers_per_s", "economy_give_per_s"], run: measureEconomy },
  { names: ["reload_events_lost"], run: measureReloadEventsLost },
  { names: ["restart_events_lost"], run: one(measureRestartEventsLost) },
  { names: ["flood_events_lost"], run: one(measureFloodEventsLost) },
  {
    names: [
      "cold_start_ms",
      "cold_start_first_ms",
      "reload_vs_restart_ratio",
      "save_to_live_first_ms",
      "save_to_live_ms",
    ],
    run: (o, done) => measureProcesses(o, done),
  },
  { names: ["worker_rss_mb"], run: measureWorkerRss },
  { names: ["soak_rss_growth_mb", "soak_events_lost", "soak_handle_growth"], run: measureSoak },
];

function unmeasured(name: string, error: unknown): Figure {
  return withTarget({
    name,
    unit: "",
    n: 0,
    median: null,
    p99: null,
    baseline: null,
    ratio: null,
    error: error instanceof Error ? error.message : String(error),
  });
}

/** `--docs-from-latest`: regenerates the docs from bench/results/latest.json, targets re-applied. */
function docsFromLatest(): number {
  const file = join(repoRoot, "bench", "results", "latest.json");
  const result = JSON.parse(readFileSync(file, "utf8")) as Parameters<typeof writeDocs>[1];
  result.figures = result.figures.map((f) => (f.error ? f : withTarget(f)));
  writeDocs(join(repoRoot, "docs", "performance.md"), result);
  printTable(result);
  return 0;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes("--docs-from-latest")) return docsFromLatest();
  installDeliveryCounter();
  const quick = args.includes("--quick");
  const onlyIndex = args.indexOf("--only");
  const only = onlyIndex >= 0 ? new Set((args[onlyIndex + 1] ?? "").split(",")) : null;
  const unknown = [...(only ?? [])].filter((n) => !TARGETS[n]);
  if (unknown.length > 0) throw new Error(`--only: no figure named ${unknown.join(", ")}`);
  const options: RunOptions = {
    quick,
    log: (message) => process.stderr.write(`[bench] ${message}\n`),
  };
  const dir = join(repoRoot, "bench", "results");
  const latest = join(dir, "latest.json");
  // A partial re-run with --write-docs updates its figures in the last result of the same mode.
  let previous: Figure[] = [];
  let base: { date: string; duration_s: number; load_avg?: number[] } | null = null;
  if (only && args.includes("--write-docs") && existsSync(latest)) {
    const last = JSON.parse(readFileSync(latest, "utf8")) as {
      mode: string;
      date: string;
      duration_s: number;
      load_avg?: number[];
      figures: Figure[];
    };
    if (last.mode === (quick ? "quick" : "full")) {
      previous = last.figures.filter((f) => !only.has(f.name)).map((f) => (f.error ? f : withTarget(f)));
      base = { date: last.date, duration_s: last.duration_s, load_avg: last.load_avg };
    }
  }
  const load = loadavg();
  const started = performance.now();
  const done: Figure[] = [];
  for (const step of STEPS) {
    if (only && !step.names.some((n) => only.has(n))) continue;
    const stepStarted = performance.now();
    options.log(`${step.names.join(", ")} ...`);
    try {
      for (const measured of await step.run(options, [...previous, ...done])) done.push(withTarget(measured));
    } catch (error) {
      options.log(`${step.names.join(", ")} could not be measured: ${(error as Error).stack ?? error}`);
      for (const name of step.names)
        if (!done.some((f) => f.name === name)) done.push(unmeasured(name, error));
    }
    options.log(`${step.names.join(", ")} took ${((performance.now() - stepStarted) / 1000).toFixed(1)} s`);
  }
  const order = Object.keys(TARGETS);
  const figures = [...previous, ...done.filter((f) => !only || only.has(f.name))];
  const duration = Math.round((performance.now() - started) / 100) / 10;
  const rerun = base
    ? { figures: [...(only ?? [])], date: new Date().toISOString(), duration_s: duration, load_avg: load }
    : undefined;
  figures.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
  const result = {
    node: process.version,
    cpus: cpus().length,
    cpu_model: cpus()[0]?.model ?? "unknown",
    platform: `${process.platform} ${process.arch}`,
    mode: quick ? "quick" : "full",
    date: base?.date ?? new Date().toISOString(),
    duration_s: base?.duration_s ?? duration,
    load_avg: base?.load_avg ?? load,
    ...(rerun ? { rerun } : {}),
    figures,
  };
  mkdirSync(dir, { recursive: true });
  writeFileSync(latest, `${JSON.stringify(result, null, 2)}\n`);
  printTable(result);
  if (args.includes("--write-docs")) {
    writeDocs(join(repoRoot, "docs", "performance.md"), result);
    process.stdout.write("docs/performance.md regenerated\n");
  }
  const { failures, warnings } = verdict(figures);
  for (const w of warnings) process.stderr.write(`warning: missed target: ${w}\n`);
  for (const f of failures) process.stderr.write(`FAILED: ${f}\n`);
  return failures.length > 0 ? 1 : 0;
}

// Exit explicitly: a module worker or child left behind by a failed figure must not hang CI.
main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`${(error as Error).stack ?? error}\n`);
    process.exit(1);
  },
);
