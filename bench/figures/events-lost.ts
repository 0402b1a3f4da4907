import { readFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import type { RegistryLimits } from "@starstreamer/runtime";
import { type BenchHost, benchModule, startBenchHost } from "../lib/bench-host.ts";
import { type Measured, median, nextTurn, p99, type RunOptions, round, sleep, until } from "../lib/figure.ts";

/** Counts `tick n` replies: each n must be answered exactly once. */
export class TickLedger {
  readonly answered = new Map<number, number>();
  replies = 0;
  sent = 0;

  /** Feeds a chat message the bench twitch saw. */
  see(text: string, prefix = "tick "): void {
    if (!text.startsWith(prefix)) return;
    const n = Number(text.slice(prefix.length));
    this.answered.set(n, (this.answered.get(n) ?? 0) + 1);
    this.replies++;
  }

  get lost(): number {
    let lost = 0;
    for (let n = 0; n < this.sent; n++) if (!this.answered.has(n)) lost++;
    return lost;
  }

  get duplicated(): number {
    return this.replies - this.answered.size;
  }

  /**
   * Waits until the last tick sent (the sentinel: delivery to a module is ordered) is answered, or
   * every tick is, then up to 2 s for ticks to other modules and a little longer for late
   * duplicates; gives up after `timeoutMs`.
   */
  async settle(timeoutMs = 20_000): Promise<void> {
    const last = this.sent - 1;
    await until(
      () => this.answered.size >= this.sent || this.answered.has(last),
      timeoutMs,
      "the last tick to be answered",
      5,
    ).catch(() => undefined);
    // Ticks to another module may trail the sentinel a little: a short wait for all of them.
    await until(() => this.answered.size >= this.sent, 2000, "every tick", 5).catch(() => undefined);
    await sleep(300);
  }
}

/**
 * Sends `custom.<module>.tick {n}` at `rate` per second until `running()` turns false;
 * `ledger.sent` counts them.
 */
export async function tickWhile(
  bench: BenchHost,
  module: string,
  ledger: TickLedger,
  running: () => boolean,
  rate = 1000,
): Promise<void> {
  const started = performance.now();
  const base = ledger.sent;
  while (running()) {
    const due = base + Math.floor(((performance.now() - started) * rate) / 1000) + 1;
    while (ledger.sent < due) bench.host.emit(`custom.${module}.tick`, { n: ledger.sent++ }, "twitch");
    await sleep(1);
  }
}

/**
 * A chatter copy's source after edit `r`: `rename` renames handler `tick` on odd edits (back on even
 * ones); `add_remove` adds an extra handler on even edits and removes it on odd ones.
 */
function handlerEdit(original: string, r: number, kind: "rename" | "add_remove", module: string): string {
  let source = original;
  if (kind === "rename" && r % 2 === 0)
    source = source.replace("async function tick(", "async function tickRenamed(");
  if (kind === "add_remove" && r % 2 === 0) {
    source = source.replace(
      /\n {2}\},\n\}\);\n?$/,
      `\n    on("custom.${module}.extra${r}", async function extra${r}() {});\n  },\n});\n`,
    );
  }
  return `${source}\n// edit ${r}\n`;
}

interface LostRun {
  ledger: TickLedger;
  reloads: number[];
  problems: string[];
}

async function reloadWhileTicking(
  bench: BenchHost,
  module: string,
  reloads: number,
  edit: (r: number) => void,
): Promise<LostRun> {
  const ledger = new TickLedger();
  bench.twitch.onSend = (text) => ledger.see(text);
  const durations: number[] = [];
  const problems: string[] = [];
  let reloading = true;
  const reloader = (async () => {
    await sleep(200);
    for (let r = 0; r < reloads; r++) {
      edit(r);
      const change = await bench.host.applyChange(module);
      if (change.action === "reloaded") durations.push(change.durationMs);
      else
        problems.push(
          `reload ${r} of ${module}: ${change.action}${"error" in change ? ` ${change.error}` : ""}`,
        );
      await sleep(40);
    }
    await sleep(200);
    reloading = false;
  })();
  await tickWhile(bench, module, ledger, () => reloading);
  await reloader;
  await ledger.settle();
  return { ledger, reloads: durations, problems };
}

function lostFigure(name: string, variant: string | undefined, run: LostRun, note: string): Measured {
  const { ledger } = run;
  const total = ledger.lost + ledger.duplicated;
  const problems = [...run.problems];
  if (total > 0) problems.push(`${ledger.lost} lost, ${ledger.duplicated} duplicated`);
  return {
    name,
    ...(variant ? { variant } : {}),
    unit: "events",
    n: ledger.sent,
    median: total,
    p99: null,
    baseline: null,
    ratio: null,
    stand_in: true,
    ...(problems.length > 0 ? { problems } : {}),
    note,
    details: {
      lost: ledger.lost,
      duplicated: ledger.duplicated,
      reloads_ok: run.reloads.length,
      reload_under_load_p50_ms: round(median(run.reloads), 1),
      reload_under_load_p99_ms: round(p99(run.reloads), 1),
    },
  };
}

/** reload_events_lost: reloads that add, remove and rename handlers; and a snapshot/restore module. */
export async function measureReloadEventsLost(options: RunOptions): Promise<Measured[]> {
  const reloads = options.quick ? 3 : 20;
  const figures: Measured[] = [];
  // One host: chatter0 gets the add/remove edits, chatter1 the renames, counter the snapshots.
  const bench = await startBenchHost([
    { from: benchModule("chatter"), as: "chatter0" },
    { from: benchModule("chatter"), as: "chatter1" },
    { from: benchModule("counter") },
  ]);
  try {
    for (const [module, kind] of [
      ["chatter0", "add_remove"],
      ["chatter1", "rename"],
    ] as const) {
      const original = readFileSync(join(bench.modulesDir, module, "module.ts"), "utf8");
      const run = await reloadWhileTicking(bench, module, reloads, (r) =>
        bench.edit(module, "module.ts", () => handlerEdit(original, r, kind, module)),
      );
      figures.push(
        lostFigure(
          "reload_events_lost",
          kind,
          run,
          kind === "rename"
            ? `ticks at 1,000/s across ${reloads} reloads that rename the tick handler (and back)`
            : `ticks at 1,000/s across ${reloads} reloads that add and remove a handler`,
        ),
      );
    }
    const run = await reloadWhileTicking(bench, "counter", reloads, (r) =>
      bench.edit("counter", "module.ts", (s) => s.replace(/\n\/\/ edit \d+\n$|$/, `\n// edit ${r}\n`)),
    );
    const total = bench.twitch.nextMessage((t) => t.startsWith("counter total "), 10_000);
    bench.host.emit("custom.counter.total", {}, "twitch");
    const { text } = await total;
    const count = Number(text.slice("counter total ".length));
    if (count !== run.ledger.sent) run.problems.push(`snapshot carried ${count} of ${run.ledger.sent} ticks`);
    figures.push(
      lostFigure(
        "reload_events_lost",
        "snapshot",
        run,
        `ticks at 1,000/s across ${reloads} reloads of a module that carries its count with snapshot/restore (the count must equal the ticks sent)`,
      ),
    );
  } finally {
    bench.twitch.onSend = null;
    await bench.close();
  }
  return figures;
}

/** restart_events_lost: ticks at 1,000/s while a module crashes and restarts, several times. */
export async function measureRestartEventsLost(options: RunOptions): Promise<Measured> {
  const crashes = options.quick ? 2 : 5;
  const limits: RegistryLimits = { crash: { maxFailures: 1000, windowMs: 600_000 } };
  const bench = await startBenchHost([{ from: benchModule("chatter"), as: "chatter0" }], { limits });
  const ledger = new TickLedger();
  const problems: string[] = [];
  bench.twitch.onSend = (text) => ledger.see(text);
  try {
    let crashing = true;
    const crasher = (async () => {
      for (let c = 1; c <= crashes; c++) {
        await sleep(300);
        bench.host.emit("custom.chatter0.die", {}, "twitch");
        await until(() => bench.host.registry.info("chatter0").restarts >= c, 15_000, `restart ${c}`, 5);
        await until(() => bench.host.registry.info("chatter0").state === "enabled", 15_000, "enabled", 5);
      }
      await sleep(300);
      crashing = false;
    })();
    await tickWhile(bench, "chatter0", ledger, () => crashing);
    await crasher;
    await ledger.settle();
    const info = bench.host.registry.info("chatter0");
    if (info.dropped > 0) problems.push(`${info.dropped} dropped by the queue`);
  } finally {
    bench.twitch.onSend = null;
    await bench.close();
  }
  return lostFigure(
    "restart_events_lost",
    undefined,
    { ledger, reloads: [], problems },
    `ticks at 1,000/s while chatter0 crashes ${crashes} times (process.exit in a handler) and restarts`,
  );
}

/** flood_events_lost: 20,000 events at one module in one burst, default queue capacity. */
export async function measureFloodEventsLost(_options: RunOptions): Promise<Measured> {
  const count = 20_000;
  const bench = await startBenchHost([{ from: benchModule("sink") }]);
  const registry = bench.host.registry;
  let handled = 0;
  let dropped = 0;
  let ms = 0;
  try {
    const data = bench.chatData("!sink flood");
    const base = registry.info("sink").eventsHandled;
    const started = performance.now();
    for (let i = 0; i < count; i++) bench.host.emit("twitch.chat.message", data, "twitch");
    await nextTurn();
    await until(
      () => registry.info("sink").eventsHandled - base + registry.info("sink").dropped >= count,
      60_000,
      "the flood to be handled or dropped",
      2,
    ).catch(() => undefined);
    ms = performance.now() - started;
    handled = registry.info("sink").eventsHandled - base;
    dropped = registry.info("sink").dropped;
  } finally {
    await bench.close();
  }
  const lost = count - handled;
  return {
    name: "flood_events_lost",
    unit: "events",
    n: count,
    median: lost,
    p99: null,
    baseline: null,
    ratio: null,
    stand_in: true,
    ...(lost > 0 ? { problems: [`${lost} of ${count} lost (${dropped} dropped by the full queue)`] } : {}),
    note: "20,000 !sink chat events emitted in one synchronous loop at the sink stand-in; the host at its default queue capacity",
    details: { handled, dropped_by_queue: dropped, drain_ms: round(ms, 0) },
  };
}
