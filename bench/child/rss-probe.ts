/**
 * Measures what idle module workers add to a host process's RSS: samples RSS with no module
 * loaded, copies the module folders in `--source` into the (empty) `--modules` directory and
 * loads them all at once (like a start), waits until they
 * are idle, samples again; then does the same with bare workers (no module, no runtime) for
 * comparison. Prints one `RESULT {json}` line. Run with --expose-gc.
 */
import { cpSync, mkdirSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { Worker } from "node:worker_threads";
import { createHost, createLogger } from "@starstreamer/runtime";

const { values } = parseArgs({
  options: {
    source: { type: "string" },
    modules: { type: "string" },
    data: { type: "string" },
    settle: { type: "string" },
  },
});
if (!values.source || !values.modules || !values.data) {
  throw new Error("usage: rss-probe --source <dir> --modules <empty dir> --data <dir>");
}
const modulesDir = values.modules;
const settleMs = Number(values.settle ?? 2000);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

/** Median of a few RSS samples after a GC, in MB. */
async function idleRss(): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    gc();
    await sleep(100);
    samples.push(process.memoryUsage.rss() / 1048576);
  }
  return samples.sort((a, b) => a - b)[2]!;
}

// An empty modules directory first: the host, its database and the runtime bundle, no workers.
mkdirSync(modulesDir, { recursive: true });
const host = await createHost({
  modulesDir,
  dataDir: values.data,
  logger: createLogger({ level: "error" }),
});
await host.start();
await sleep(settleMs / 2);
const before = await idleRss();
cpSync(values.source, modulesDir, { recursive: true });
await host.registry.discover();
const { loaded, failed } = await host.registry.loadAll();
await sleep(settleMs);
const after = await idleRss();
const heaps: number[] = [];
for (const name of loaded) {
  const heap = host.registry.info(name).heapUsedMb;
  if (heap !== null) heaps.push(heap);
}
await host.close();
await sleep(500);

// The same count of bare workers: the floor any worker-per-module design pays.
const bareBefore = await idleRss();
const bare = Array.from(
  { length: loaded.length },
  () =>
    new Worker("require('node:worker_threads').parentPort.postMessage('up'); setInterval(() => {}, 1000);", {
      eval: true,
    }),
);
await Promise.all(bare.map((w) => new Promise((resolve) => w.once("message", resolve))));
await sleep(settleMs);
const bareAfter = await idleRss();
await Promise.all(bare.map((w) => w.terminate()));

process.stdout.write(
  `RESULT ${JSON.stringify({ loaded: loaded.length, failed, before, after, heaps, bareBefore, bareAfter })}\n`,
);
process.exit(0);
