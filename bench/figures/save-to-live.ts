import { existsSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { watch } from "chokidar";
import { populateModules, realModule, repoRoot, startBenchHost, tempDir } from "../lib/bench-host.ts";
import { spawnNode, stopChild } from "../lib/child.ts";
import { type Figure, median, p99, type RunOptions, round, sleep } from "../lib/figure.ts";

/** The dev command's default debounce (apps/cli config `reload.debounceMs`). */
const DEBOUNCE_MS = 300;
const BIN = join(repoRoot, "packages", "starstreamer", "bin", "starstreamer.mjs");

/**
 * save_to_live_ms: `starstreamer dev --offline` in a temp project (greeter copied in, the
 * repository's node_modules linked so types resolve), local chat on stdin. Each sample: write
 * greetings.ts with a new word, wait for dev's "reloaded greeter" line, type `!greet` at once,
 * and stop the clock when `[bot] <new word> ...` is printed. Falls back to an in-process
 * emulation of dev when the command does not run.
 */
export async function measureSaveToLive(options: RunOptions): Promise<Figure> {
  if (existsSync(BIN)) {
    try {
      return await measureWithDev(options);
    } catch (error) {
      options.log(
        `starstreamer dev did not work (${(error as Error).message}); using the in-process stand-in`,
      );
      return {
        ...(await measureInProcess(options)),
        note: `${STAND_IN_NOTE}; dev failed: ${(error as Error).message}`,
      };
    }
  }
  return measureInProcess(options);
}

async function measureWithDev(options: RunOptions): Promise<Figure> {
  const count = options.quick ? 3 : 15;
  const project = tempDir("dev");
  populateModules(join(project.path, "modules"), [{ from: realModule("greeter") }]);
  symlinkSync(join(repoRoot, "node_modules"), join(project.path, "node_modules"), "dir");
  const file = join(project.path, "modules", "greeter", "actions", "greetings.ts");
  const original = readFileSync(file, "utf8");
  const port = String(20_000 + Math.floor(Math.random() * 20_000));
  const dev = spawnNode(null, [BIN, "dev", "--offline", "--port", port], [], { cwd: project.path });
  const samples: number[] = [];
  const reloadsLogged: number[] = [];
  try {
    await dev.line((l) => l.includes("dev ready"), 60_000);
    const first = dev.line((l) => l.includes("[bot] Hello "), 10_000);
    dev.send("!greet");
    await first;
    for (let i = -1; i < count; i++) {
      await sleep(1000);
      const word = `Howdy${i + 2}`;
      const reloaded = dev.line((l) => /reloaded greeter/.test(l), 10_000);
      const reply = dev.line((l) => l.includes(`[bot] ${word} `), 10_000);
      const started = performance.now();
      writeFileSync(file, original.replace("Hello ${", `${word} \${`));
      const { line } = await reloaded;
      dev.send("!greet");
      const { at } = await reply;
      if (i >= 0) {
        samples.push(at - started);
        const ms = /in (\d+) ms/.exec(line);
        if (ms) reloadsLogged.push(Number(ms[1]));
      }
    }
  } finally {
    await stopChild(dev);
    project.cleanup();
  }
  return saveToLiveFigure(samples, {
    note: "starstreamer dev --offline (packages/starstreamer/bin) in a temp project, greeter; file write to the new reply on stdout (the type check runs in the background)",
    details: { reload_logged_by_dev_p50_ms: median(reloadsLogged) },
  });
}

const STAND_IN_NOTE =
  "in-process emulation of dev (chokidar watcher + 300 ms debounce + registry.reload), greeter module";

/**
 * The stand-in for `starstreamer dev`: a chokidar watcher on the modules directory, a 300 ms
 * debounce per module, then `registry.reload` (what dev does). From the file write to the new
 * `!greet` reply reaching the main thread; `!greet` is sent the moment the reload is done.
 */
async function measureInProcess(options: RunOptions): Promise<Figure> {
  const count = options.quick ? 3 : 15;
  const bench = await startBenchHost([{ from: realModule("greeter") }]);
  const registry = bench.host.registry;
  const timers = new Map<string, NodeJS.Timeout>();
  const reloads: Array<Promise<unknown>> = [];
  let onReloaded: (() => void) | null = null;
  const watcher = watch(bench.modulesDir, { ignoreInitial: true });
  watcher.on("all", (_event, path) => {
    const module = registry.moduleForPath(path);
    if (!module) return;
    clearTimeout(timers.get(module));
    timers.set(
      module,
      setTimeout(() => {
        timers.delete(module);
        reloads.push(
          registry.reload(module).then((result) => {
            if (!result.ok) throw result.error;
            onReloaded?.();
          }),
        );
      }, DEBOUNCE_MS),
    );
  });
  await new Promise<void>((resolve) => watcher.once("ready", () => resolve()));
  const samples: number[] = [];
  const file = join(bench.modulesDir, "greeter", "actions", "greetings.ts");
  try {
    const original = (await import("node:fs")).readFileSync(file, "utf8");
    for (let i = -1; i < count; i++) {
      const word = `Howdy${i + 2}`;
      const reply = bench.twitch.next((text) => text.startsWith(`${word} `));
      const reloaded = new Promise<void>((resolve) => {
        onReloaded = resolve;
      });
      const started = performance.now();
      writeFileSync(file, original.replace("Hello ${", `${word} \${`));
      await reloaded;
      bench.chat("!greet", "ada");
      const at = await reply;
      if (i >= 0) samples.push(at - started);
      await sleep(300);
    }
    await Promise.all(reloads);
  } finally {
    onReloaded = null;
    for (const timer of timers.values()) clearTimeout(timer);
    await watcher.close();
    await bench.close();
  }
  return saveToLiveFigure(samples, { stand_in: true, note: STAND_IN_NOTE, details: {} });
}

/** The save_to_live_ms figure from its samples, for the real `dev` and for the stand-in alike. */
function saveToLiveFigure(
  samples: number[],
  extra: { note: string; details: Record<string, unknown>; stand_in?: true },
): Figure {
  const p50 = median(samples)!;
  const target = DEBOUNCE_MS + 100;
  return {
    name: "save_to_live_ms",
    unit: "ms",
    n: samples.length,
    median: round(p50, 1),
    p99: round(p99(samples), 1),
    baseline: null,
    ratio: null,
    target: `<= debounce + 100 ms (${DEBOUNCE_MS} + 100 = ${target} ms)`,
    met: p50 <= target,
    ...(extra.stand_in ? { stand_in: true } : {}),
    note: extra.note,
    details: {
      debounce_ms: DEBOUNCE_MS,
      beyond_debounce_p50_ms: round(p50 - DEBOUNCE_MS, 1),
      ...extra.details,
    },
  };
}
