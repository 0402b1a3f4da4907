import { join } from "node:path";
import { benchModule, populateModules, repoRoot, tempDir } from "../lib/bench-host.ts";
import { spawnNode, stopChild } from "../lib/child.ts";
import { type Figure, median, type RunOptions, round } from "../lib/figure.ts";

const PROBE = join(repoRoot, "bench", "child", "rss-probe.ts");

interface ProbeResult {
  loaded: number;
  failed: unknown[];
  before: number;
  after: number;
  heaps: number[];
  bareBefore: number;
  bareAfter: number;
}

/**
 * worker_rss_mb: in a fresh process (`--expose-gc`), the host's RSS with no module, then with 20
 * idle chat modules loaded (chatter stand-ins), divided by 20; median of the runs. Alongside, the
 * same number of bare workers in the same process: what any worker costs before a module is in it.
 */
export async function measureWorkerRss(options: RunOptions): Promise<Figure> {
  const runs = options.quick ? 1 : 3;
  const modules = 20;
  const perWorker: number[] = [];
  const bare: number[] = [];
  const heaps: number[] = [];
  for (let r = 0; r < runs; r++) {
    const scratch = tempDir("rss");
    try {
      const source = join(scratch.path, "source");
      populateModules(
        source,
        Array.from({ length: modules }, (_, k) => ({ from: benchModule("chatter"), as: `chatter${k}` })),
      );
      const child = spawnNode(
        PROBE,
        [
          "--source",
          source,
          "--modules",
          join(scratch.path, "modules"),
          "--data",
          join(scratch.path, "data"),
          "--settle",
          options.quick ? "1000" : "3000",
        ],
        ["--expose-gc"],
      );
      const { line } = await child.line((l) => l.startsWith("RESULT "), 120_000);
      await stopChild(child);
      const result = JSON.parse(line.slice(7)) as ProbeResult;
      if (result.loaded !== modules)
        throw new Error(`loaded ${result.loaded} of ${modules}: ${JSON.stringify(result.failed)}`);
      perWorker.push((result.after - result.before) / modules);
      bare.push((result.bareAfter - result.bareBefore) / modules);
      heaps.push(median(result.heaps)!);
    } finally {
      scratch.cleanup();
    }
  }
  const p50 = median(perWorker)!;
  return {
    name: "worker_rss_mb",
    unit: "MB",
    n: runs * modules,
    median: round(p50, 2),
    p99: round(Math.max(...perWorker), 2),
    baseline: {
      name: "bare worker_thread (no module, no runtime), MB each",
      median: round(median(bare), 2)!,
    },
    ratio: round(p50 / median(bare)!, 2),
    target: "<= 10 MB",
    met: p50 <= 10,
    stand_in: true,
    note: `RSS(20 idle chatter modules loaded) - RSS(host, no module), / 20, in a fresh process after GC; median of ${runs} run(s), p99 = worst run`,
    details: { worker_heap_total_p50_mb: round(median(heaps), 2) },
  };
}
