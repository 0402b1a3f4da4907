import { join } from "node:path";
import {
  benchModule,
  type ModuleSpec,
  populateModules,
  realModule,
  repoRoot,
  tempDir,
} from "../lib/bench-host.ts";
import { spawnNode, stopChild } from "../lib/child.ts";
import { type Measured, median, type RunOptions, round } from "../lib/figure.ts";

const PROBE = join(repoRoot, "bench", "child", "rss-probe.ts");
const COPIES = 10;

/** Copies of one module, renamed so they can load side by side (services dropped: one provider each). */
const COPY: Record<string, { spec: (k: number) => ModuleSpec; standIn: boolean; plain?: true }> = {
  greeter: {
    standIn: false,
    spec: (k) => ({
      from: realModule("greeter"),
      as: `greeter${k}`,
      transform: (s, name) => s.replace('readonly name = "greeter"', `readonly name = "${name}"`),
    }),
  },
  economy: {
    standIn: true,
    // Also measured as the same work in plain workers (bench/child/plain-economy-worker.ts).
    plain: true,
    spec: (k) => ({
      from: benchModule("economy"),
      as: `economy${k}`,
      transform: (s, name) =>
        s
          .replace('name: "economy"', `name: "${name}"`)
          .replace('provides: ["bench-economy"],', "")
          .replace('ctx.provide("bench-economy", service);', "void service;"),
    }),
  },
  chatter: { standIn: true, spec: (k) => ({ from: benchModule("chatter"), as: `chatter${k}` }) },
};

interface ProbeResult {
  loaded: number;
  failed: unknown[];
  before: number;
  after: number;
  heaps?: number[];
  /** The main thread's V8 heap in memory at each sample, MB. */
  mainHeap?: { before: number; after: number };
  /** The later sample (`--idle`): RSS and the main thread's heap, MB. */
  idle?: { ms: number; rss: number; mainHeap: number };
}

/**
 * The later sample of a full run, ms after the load: an idle worker gives back the young
 * generation its start grew after 6-9 s idle (packages/runtime/src/worker/idle-compaction.ts).
 */
const IDLE_SAMPLE_MS = 12_000;

async function probe(args: string[], settle: string): Promise<ProbeResult> {
  const child = spawnNode(PROBE, [...args, "--settle", settle], ["--expose-gc"]);
  try {
    const { line } = await child.line((l) => l.startsWith("RESULT "), 180_000);
    return JSON.parse(line.slice(7)) as ProbeResult;
  } finally {
    await stopChild(child);
  }
}

/**
 * worker_rss_mb for greeter, economy and chatter: in a fresh process (`--expose-gc`), RSS after GC
 * with the host and no module, then with 10 idle copies of the module loaded at once; the
 * difference, less the main thread's own heap change, / 10. Baseline: 10 bare idle worker_threads
 * in another fresh process; for economy, also 10 plain workers doing its work with no framework.
 */
export async function measureWorkerRss(options: RunOptions): Promise<Measured[]> {
  const runs = options.quick ? 1 : 3;
  const settle = options.quick ? "1000" : "3000";
  const bare: number[] = [];
  for (let r = 0; r < runs; r++) {
    const result = await probe(["--bare", String(COPIES)], settle);
    bare.push((result.after - result.before) / COPIES);
  }
  const bareMedian = median(bare)!;
  const figures: Measured[] = [];
  for (const [module, copy] of Object.entries(COPY)) {
    const perWorker: number[] = [];
    const heaps: number[] = [];
    const mainChange: number[] = [];
    const idlePerWorker: number[] = [];
    const plainPerWorker: number[] = [];
    for (let r = 0; copy.plain && r < runs; r++) {
      const scratch = tempDir("rss-plain");
      try {
        const result = await probe(["--plain", String(COPIES), "--data", scratch.path], settle);
        plainPerWorker.push((result.after - result.before) / COPIES);
      } finally {
        scratch.cleanup();
      }
    }
    for (let r = 0; r < runs; r++) {
      const scratch = tempDir("rss");
      try {
        const source = join(scratch.path, "source");
        populateModules(
          source,
          Array.from({ length: COPIES }, (_, k) => copy.spec(k)),
        );
        const result = await probe(
          [
            "--source",
            source,
            "--modules",
            join(scratch.path, "modules"),
            "--data",
            join(scratch.path, "data"),
            ...(options.quick ? [] : ["--idle", String(IDLE_SAMPLE_MS)]),
          ],
          settle,
        );
        if (result.loaded !== COPIES)
          throw new Error(
            `${module}: loaded ${result.loaded} of ${COPIES}: ${JSON.stringify(result.failed)}`,
          );
        heaps.push(...(result.heaps ?? []));
        // A change of the main thread's own heap between the samples is the host's, not the
        // workers': it is taken out of their share (Node 20: +0.24 MB in all; Node 24 gives back
        // about 13 MB its start grew). Later, the host's young generation, grown by the loads,
        // shrinks too.
        const main = result.mainHeap ?? { before: 0, after: 0 };
        mainChange.push(main.after - main.before);
        perWorker.push((result.after - result.before - (main.after - main.before)) / COPIES);
        if (result.idle)
          idlePerWorker.push(
            (result.idle.rss - result.before - (result.idle.mainHeap - main.before)) / COPIES,
          );
      } finally {
        scratch.cleanup();
      }
    }
    const p50 = median(perWorker)!;
    figures.push({
      name: "worker_rss_mb",
      variant: module,
      unit: "MB",
      n: runs,
      median: round(p50, 2),
      p99: round(Math.max(...perWorker), 2),
      baseline: {
        name: "bare idle worker_thread in its own fresh process, MB each",
        median: round(bareMedian, 2)!,
      },
      ratio: round(p50 / bareMedian, 2),
      ...(copy.standIn ? { stand_in: true as const } : {}),
      details: {
        runs_mb: perWorker.map((mb) => round(mb, 2)),
        worker_heap_used_p50_mb: round(median(heaps), 2),
        // The main thread's V8 heap after the load minus before it, MB (in the figure, / copies).
        main_heap_change_mb: mainChange.map((mb) => round(mb, 2)),
        ...(idlePerWorker.length > 0
          ? {
              [`idle_${IDLE_SAMPLE_MS / 1000}s_mb`]: round(median(idlePerWorker), 2),
              [`idle_${IDLE_SAMPLE_MS / 1000}s_runs_mb`]: idlePerWorker.map((mb) => round(mb, 2)),
            }
          : {}),
        ...(plainPerWorker.length > 0
          ? {
              plain_worker_same_work_mb: round(median(plainPerWorker), 2),
              plain_worker_same_work_runs_mb: plainPerWorker.map((mb) => round(mb, 2)),
            }
          : {}),
      },
      note: `(RSS(${COPIES} idle copies loaded) - RSS(host, no module) - the main thread's heap change), / ${COPIES}, fresh process after GC; n = runs, p99 = worst run`,
    });
  }
  return figures;
}
