import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { benchModule, populateModules, realModule, repoRoot, tempDir } from "../lib/bench-host.ts";
import { type Child, spawnNode, stopChild } from "../lib/child.ts";
import { type Figure, median, p99, type RunOptions, round, sleep } from "../lib/figure.ts";
import { realisticModules } from "./reload.ts";

const HOST_SCRIPT = join(repoRoot, "bench", "child", "host-process.ts");

interface Ready {
  at: number;
  timings: { importedMs: number; hostCreatedMs: number; startedMs: number; loaded: string[] };
}

async function startChild(modulesDir: string, dataDir: string): Promise<{ child: Child; ready: Ready }> {
  const child = spawnNode(HOST_SCRIPT, ["--modules", modulesDir, "--data", dataDir]);
  const { line, at } = await child.line((l) => l.startsWith("READY "), 60_000);
  return { child, ready: { at, timings: JSON.parse(line.slice(6)) as Ready["timings"] } };
}

/**
 * reload_vs_restart_ratio: what a watch-and-restart tool does to the same host (the three modules
 * of reload_ms, in its own process): SIGTERM, wait for the exit (the host closes cleanly), spawn
 * `node --import tsx` again, wait for ready, send `!balance` and wait for the reply. Divided by
 * reload_ms measured earlier in the same run.
 */
export async function measureRestart(options: RunOptions, reloadMedian: number | null): Promise<Figure> {
  if (reloadMedian === null) throw new Error("needs reload_ms from the same run");
  const count = options.quick ? 2 : 10;
  const scratch = tempDir("restart");
  const modulesDir = join(scratch.path, "modules");
  const dataDir = join(scratch.path, "data");
  populateModules(modulesDir, realisticModules());
  const restart: number[] = [];
  const toReady: number[] = [];
  const stopping: number[] = [];
  let current: Child | null = null;
  try {
    current = (await startChild(modulesDir, dataDir)).child;
    for (let i = -1; i < count; i++) {
      await sleep(300);
      const started = performance.now();
      await stopChild(current);
      const stopped = performance.now();
      const next = await startChild(modulesDir, dataDir);
      current = next.child;
      const reply = current.line((l) => l.startsWith("SENT ") && l.endsWith("[r0]"), 10_000);
      current.send("!balance");
      const { at } = await reply;
      if (i >= 0) {
        restart.push(at - started);
        toReady.push(next.ready.at - started);
        stopping.push(stopped - started);
      }
    }
  } finally {
    if (current) await stopChild(current);
    scratch.cleanup();
  }
  const restartMedian = median(restart)!;
  const ratio = restartMedian / reloadMedian;
  return {
    name: "reload_vs_restart_ratio",
    unit: "x",
    n: restart.length,
    median: round(ratio, 1),
    p99: null,
    baseline: {
      name: "restart of the host process (SIGTERM, exit, spawn, ready, first reply), ms",
      median: round(restartMedian, 1)!,
    },
    ratio: round(ratio, 1),
    target: ">= 10x faster",
    met: ratio >= 10,
    stand_in: true,
    note: "same three modules as reload_ms (greeter, economy and chatter stand-ins); ratio = restart median / reload_ms median",
    details: {
      reload_ms_median: reloadMedian,
      restart_p99_ms: round(p99(restart), 1),
      stop_p50_ms: round(median(stopping), 1),
      sigterm_to_ready_p50_ms: round(median(toReady), 1),
    },
  };
}

/**
 * cold_start_ms: spawn `node --import tsx host-process.ts` with three modules, offline, to its
 * READY line (host created, runtime bundle built, modules built, workers spawned, initialized,
 * migrations applied). Baseline: spawn `node -e ''` to its exit.
 */
export async function measureColdStart(options: RunOptions): Promise<Figure> {
  const count = options.quick ? 2 : 10;
  const scratch = tempDir("cold");
  const modulesDir = join(scratch.path, "modules");
  const dataDir = join(scratch.path, "data");
  populateModules(modulesDir, [
    { from: realModule("greeter") },
    { from: benchModule("economy") },
    { from: benchModule("chatter") },
  ]);
  const cold: number[] = [];
  const imported: number[] = [];
  const created: number[] = [];
  const startOnly: number[] = [];
  const bare: number[] = [];
  try {
    for (let i = -1; i < count; i++) {
      await sleep(200);
      const started = performance.now();
      const { child, ready } = await startChild(modulesDir, dataDir);
      if (i >= 0) {
        cold.push(ready.at - started);
        imported.push(ready.timings.importedMs);
        created.push(ready.timings.hostCreatedMs - ready.timings.importedMs);
        startOnly.push(ready.timings.startedMs - ready.timings.hostCreatedMs);
      }
      await stopChild(child);
    }
    for (let i = -1; i < count; i++) {
      const started = performance.now();
      const child = spawnNode(null, ["-e", ""]);
      await child.exited;
      if (i >= 0) bare.push(performance.now() - started);
    }
  } finally {
    scratch.cleanup();
  }
  const p50 = median(cold)!;
  const bareMedian = median(bare)!;
  return {
    name: "cold_start_ms",
    unit: "ms",
    n: cold.length,
    median: round(p50, 1),
    p99: round(p99(cold), 1),
    baseline: { name: "node -e ''", median: round(bareMedian, 1)! },
    ratio: round(p50 / bareMedian, 1),
    target: "<= 1500 ms",
    met: p50 <= 1500,
    stand_in: true,
    note: "the core modules are not built yet: greeter plus the economy and chatter stand-ins, loaded by node --import tsx, offline, existing data dir",
    details: {
      node_boot_and_imports_p50_ms: round(median(imported), 1),
      create_host_p50_ms: round(median(created), 1),
      host_start_p50_ms: round(median(startOnly), 1),
    },
  };
}
