/**
 * Measures what idle workers add to a fresh process's RSS. With `--source/--modules/--data`:
 * samples RSS with a host and no module, copies the module folders in `--source` into the (empty)
 * `--modules` directory, loads them all at once, waits until they are idle, samples again. With
 * `--idle <ms>`, samples once more that long after the load (idle workers give memory back after
 * a few seconds: see packages/runtime/src/worker/idle-compaction.ts). Each sample also records the
 * main thread's own V8 heap (committed pages), whose young generation shrinks in the same way: a
 * change there is the host's, not the workers'. With `--bare N`: the same with N bare workers (no
 * module, no runtime) and no host; with `--plain N --data <dir>`: N plain workers doing the economy
 * stand-in's work with no framework (plain-economy-worker.ts). Prints one `RESULT {json}` line.
 * Run with --expose-gc.
 */
import { cpSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { getHeapStatistics } from "node:v8";
import { Worker } from "node:worker_threads";
import { createHost, createLogger } from "@starstreamer/runtime";

const { values } = parseArgs({
  options: {
    source: { type: "string" },
    modules: { type: "string" },
    data: { type: "string" },
    settle: { type: "string" },
    bare: { type: "string" },
    idle: { type: "string" },
    plain: { type: "string" },
  },
});
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

/** The main thread's V8 heap in memory (physical, all spaces), MB, read right after a sample. */
function mainHeap(): number {
  return getHeapStatistics().total_physical_size / 1048576;
}

function print(result: object): never {
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
  process.exit(0);
}

/**
 * plain-economy-worker.ts bundled into `dir` as plain JavaScript, each package it imports left as
 * installed (an absolute path: the bundle sits in a temp folder).
 */
async function buildPlainWorker(dir: string): Promise<URL> {
  const { build } = await import("esbuild");
  const outfile = join(dir, "plain-economy-worker.mjs");
  await build({
    entryPoints: [fileURLToPath(new URL("./plain-economy-worker.ts", import.meta.url))],
    outfile,
    bundle: true,
    format: "esm",
    platform: "node",
    logLevel: "error",
    plugins: [
      {
        name: "installed-packages",
        setup(b) {
          b.onResolve({ filter: /^[^./]/ }, ({ path }) =>
            path.startsWith("node:")
              ? { external: true }
              : { path: fileURLToPath(import.meta.resolve(path)), external: true },
          );
        },
      },
    ],
  });
  return pathToFileURL(outfile);
}

const plainDir = values.data;
const plainWorker = values.plain && plainDir ? await buildPlainWorker(plainDir) : null;
/** A worker with no framework: bare (`--bare`), or doing the economy stand-in's work (`--plain`). */
const noFramework = values.bare
  ? (): Worker =>
      new Worker(
        "require('node:worker_threads').parentPort.postMessage('up'); setInterval(() => {}, 1000);",
        {
          eval: true,
        },
      )
  : plainWorker
    ? (index: number): Worker => new Worker(plainWorker, { workerData: { dir: plainDir, index } })
    : null;

if (noFramework) {
  await sleep(settleMs / 2);
  const before = await idleRss();
  const count = Number(values.bare ?? values.plain);
  const workers = Array.from({ length: count }, (_, index) => noFramework(index));
  await Promise.all(
    workers.map(
      (w) =>
        new Promise((resolve, reject) => {
          w.once("message", resolve);
          w.once("error", reject);
        }),
    ),
  );
  await sleep(settleMs);
  const after = await idleRss();
  await Promise.all(workers.map((w) => w.terminate()));
  print({ loaded: count, failed: [], before, after });
}

if (!values.source || !values.modules || !values.data) {
  throw new Error(
    "usage: rss-probe --source <dir> --modules <empty dir> --data <dir> | --bare <n> | --plain <n> --data <dir>",
  );
}
const modulesDir = values.modules;
// An empty modules directory first: the host, its database and the runtime bundle, no workers.
mkdirSync(modulesDir, { recursive: true });
const host = await createHost({ modulesDir, dataDir: values.data, logger: createLogger({ level: "error" }) });
await host.start();
await sleep(settleMs / 2);
const before = await idleRss();
const mainBefore = mainHeap();
cpSync(values.source, modulesDir, { recursive: true });
await host.registry.discover();
const { loaded, failed } = await host.registry.loadAll();
const loadedAt = performance.now();
await sleep(settleMs);
const after = await idleRss();
const mainAfter = mainHeap();
const heaps = loaded
  .map((name) => host.registry.info(name).heapUsedMb)
  .filter((h): h is number => typeof h === "number");
let idle: { ms: number; rss: number; mainHeap: number } | undefined;
if (values.idle) {
  const ms = Number(values.idle);
  await sleep(Math.max(0, ms - (performance.now() - loadedAt)));
  idle = { ms, rss: await idleRss(), mainHeap: mainHeap() };
}
await host.close();
print({
  loaded: loaded.length,
  failed,
  before,
  after,
  heaps,
  mainHeap: { before: mainBefore, after: mainAfter },
  ...(idle ? { idle } : {}),
});
