import type { Figure, Measured } from "./figure.ts";

/** One row of the target table: what a figure must reach, and how it is measured. */
export interface Target {
  /** The target as the table and the JSON show it; "-" for a figure reported without one. */
  text: string;
  /** Whether the figure reaches it; absent for a figure without a target. */
  met?: (f: Measured) => boolean;
  /**
   * A correctness figure (events lost, invariants): missing it fails the run, `--quick` included.
   * A missed performance target only warns.
   */
  correctness?: boolean;
  /** The method, one paragraph (docs/performance.md is generated from it). */
  method: string;
}

const p50 = (f: Measured) => f.median ?? Number.POSITIVE_INFINITY;
const p99 = (f: Measured) => f.p99 ?? Number.POSITIVE_INFINITY;
const latency = (median: number, tail: number) => (f: Measured) => p50(f) <= median && p99(f) <= tail;
const zero = (f: Measured) => f.median === 0 && (f.problems?.length ?? 0) === 0;

const RELOAD_TARGET = "p50 <= 50 ms, p99 <= 120 ms";
const RELOAD_HOW =
  "On an in-process host with greeter, the economy stand-in and the chatter stand-in, started as `dev` and `start` start it (`spare: true`: one warm worker bound to no module, taken by the next load, reload or restart of any module and replaced 250 ms later), the bench edits the module (greeter's reply word, economy's `REVISION`) and calls `host.applyChange(module)`, the one entry the file watcher and the admin API use. The clock runs from that call to the reply of the new code (`!greet` / `!balance`, sent as soon as `applyChange` resolves) reaching the main thread; only the new worker can produce it. Baseline: a bare `new Worker()` plus `import()` of the same module bundle.";

/**
 * The target table: the one place a figure's target text, its `met` and its method come from.
 * Names follow issue 10; a figure measured for several cases carries a `variant`.
 */
export const TARGETS: Record<string, Target> = {
  reload_first_ms: {
    text: RELOAD_TARGET,
    met: latency(50, 120),
    method: `**\`reload_first_ms\`**: a fresh host's first reload of a module (a new host for every sample; the reload comes 1 s after the host is ready). ${RELOAD_HOW}`,
  },
  reload_switch_ms: {
    text: RELOAD_TARGET,
    met: latency(50, 120),
    method:
      "**`reload_switch_ms`**: on one host, reloads alternate between greeter and economy 500 ms apart, so every reload is of the module other than the one reloaded last (editing one module, then another). Measured as `reload_first_ms`.",
  },
  reload_repeat_ms: {
    text: RELOAD_TARGET,
    met: latency(50, 120),
    method:
      "**`reload_repeat_ms`**: the same module reloaded again and again, 500 ms apart (repeated saves of one module). Measured as `reload_first_ms`. `dev` and `start` run the host the same way, so this is also what a reload from the admin API gets under `start`.",
  },
  save_to_live_first_ms: {
    text: "p50 <= 200 ms",
    met: (f) => p50(f) <= 200,
    method:
      "**`save_to_live_first_ms`**: the real `starstreamer dev --offline` (`packages/starstreamer/bin`) as an installed copy runs it (the CLI's main bundle built from every package's `dist/`, no tsx: see `cold_start_ms`), in the warm `dev` launches of `cold_start_ms` (greeter, economy and chatter in the project). After the reply that ends the cold start, the first save of a module (greeter and economy alternately across launches): from the file write to the new reply printed by the local chat (`!greet` / `!balance` typed on stdin as soon as dev prints its reload line). One sample per `dev` launch. If `dev` fails, the figure fails.",
  },
  save_to_live_ms: {
    text: "p50 <= 200 ms",
    met: (f) => p50(f) <= 200,
    method:
      "**`save_to_live_ms`**: in the same `dev` processes, four later saves each, 1 s apart, greeter and economy, alternating the way editors save: writing the file in place, and writing a temp file then renaming it over the original. Measured as `save_to_live_first_ms`; a save that does not reach the chat within 10 s fails the figure.",
  },
  reload_vs_restart_ratio: {
    text: ">= 15x (restart / reload_first_ms)",
    met: (f) => p50(f) >= 15 && Number.isFinite(p50(f)),
    method:
      "**`reload_vs_restart_ratio`**: the restart is the real `starstreamer start --offline` as installed (the built CLI bundle, no tsx) in a project with the same modules (greeter, economy, chatter), on an existing data folder: from spawn to the reply to `!greet` typed as soon as the banner is printed (the warm `start` runs of `cold_start_ms`). Divided by the median `reload_first_ms` of the same run (the slower of greeter and economy).",
  },
  command_reply_ms: {
    text: "p50 <= 0.3 ms, p99 <= 2 ms",
    met: latency(0.3, 2),
    method:
      "**`command_reply_ms`**: 10 chat modules (chatter0..9 stand-ins). `!chatterK <seq>` is sent round-robin, paced against the clock: `sustained` at 1,000 events/s (10,000 events after a 500-event warm-up), `5_per_s` at 5 events/s (the cold path: every worker asleep between events). The clock runs from just before `host.emit` (zod validation included) to the module's `ctx.twitch.sendMessage` reaching the main thread; the handler stamps the wall-clock time it started, which splits the path into its two hops. Baseline: the same handlers on an in-process `EventEmitter` with the same events and pacing. `details` add the floor under the path (`port_floor_p50_ms`, `port_floor_p99_ms`): the same pacing and round-robin to 10 bare workers that echo each message (an event's JSON) on a `MessagePort`, from the send to the echo heard on the main thread: two thread hops with no routing, no handler and no report.",
  },
  noisy_neighbor_reply_ms: {
    text: "p99 <= 5 ms, and >= 10x better than in one process",
    met: (f) => p99(f) <= 5 && (f.ratio ?? 0) >= 10,
    method:
      "**`noisy_neighbor_reply_ms`**: `!chatter0 <seq>` at 200 events/s to a chatter module while a `burner` stand-in burns 20 ms of CPU on every `!burn` sent at 25/s (half a core). Messages arrive as chat lines do, from outside the thread that handles them: a sender thread of its own sends each at its scheduled time (sleeping in `Atomics.wait` between sends), and the main thread handles it when its event loop is woken and free. Latency runs from the send (the sender stamps it), so a message that arrives while the thread is busy counts its wait, and the one that arrives while it is idle counts its wake-up (not a timer's granularity). The figure is the reply p99. Baseline: the same pair of handlers in one process on an `EventEmitter` (the burner's 20 ms blocks the reply there). Ratio = baseline p99 / figure p99 (how many times better isolation makes the tail). The details add the floor: the same replies from the same sender on the same host with the burner idle (`no_neighbour_p99_ms`); an isolated p99 at that floor means the neighbour costs nothing, and the ratio cannot rise above baseline / floor (`one_process_vs_floor_ratio`).",
  },
  delivery_vs_raw_port_ratio: {
    text: ">= 1/3 of the batched raw baseline",
    met: (f) => p50(f) >= 1 / 3,
    method:
      "**`delivery_vs_raw_port_ratio`**: `!sink` chat events through `host.emit` 256 per turn into one module at the host's default queue capacity, until the sink's handler reports are all back (validation, pre-filter, queue, worker, handler, report). Baseline: a raw `MessageChannel` to a bare worker that batches as the host does: an array of JSON strings per message, each parsed, one acknowledgement per batch; the faster of batches of 64 and 512 is used. Rounds alternate host and raw; the figure is the median of the per-round ratios, p99 the worst round.",
  },
  prefilter_us: {
    text: "<= 2 us",
    met: (f) => p50(f) <= 2,
    correctness: false,
    method:
      "**`prefilter_us`**: a realistic trigger set through the real compile path: 10 `mix` stand-in modules with 5 triggers each (2 commands, 2 keywords, 1 regex through the linear-time engine: 50 triggers, 10 regex). 400 varied chat lines that no trigger wants, each published as a fresh event object (built beforehand), through `bus.publish`; each sample is the mean over the 400. Before timing, every line is routed once and must wake no module, lines that should match must wake exactly their module, and 50 near-miss lines (a trigger's literal present, the trigger still failing) must wake no module: any misroute fails the run.",
  },
  validation_prefilter_us: {
    text: "<= 4 us",
    met: (f) => p50(f) <= 4,
    method:
      "**`validation_prefilter_us`**: the same lines from fresh data objects through `host.emit` (zod validation of the chat event, through the schema's compiled fast path, then the pre-filter), per event.",
  },
  worker_rss_mb: {
    text: "<= 10 MB",
    met: (f) => p50(f) <= 10,
    method:
      "**`worker_rss_mb`**: in a fresh process (`--expose-gc`, `bench/child/rss-probe.ts`), the host's RSS after GC with no module, then with 10 idle copies of one module loaded at once; the difference, less the main thread's own V8 heap change between the two samples (the host's, not the workers'), divided by 10; one variant per module (greeter, economy, chatter), `n` is the number of runs; the sample is taken 3 s after the load. Baseline: 10 bare idle `worker_threads` in another fresh process. `details` add that main-thread heap change (`main_heap_change_mb`, in total, not per worker: +0.24 MB on Node 20; on Node 24 about -13 MB, which the host's start had grown) and, in a full run, a second sample 12 s after the load (`idle_12s_mb`), after the workers' idle compaction, with the host's own heap change taken out (the host's young generation, grown by the loads, shrinks after about 9 s idle too and would otherwise read as the workers'). For economy, `plain_worker_same_work_mb` is the same work with no framework, measured the same way in its own fresh process: 10 plain `worker_threads` (`bench/child/plain-economy-worker.mjs`) that import zod and Kysely as installed, open their own SQLite file with better-sqlite3, parse the stand-in's config schema, create its tables and run five transfers with its statements: what a home-grown bot pays for the same libraries.",
  },
  cold_start_ms: {
    text: "<= 1.0 s",
    met: (f) => p50(f) <= 1000,
    method:
      "**`cold_start_ms`**: the real `starstreamer start --offline` and `starstreamer dev --offline` in a fresh project (greeter, economy, chatter), run the way an installed copy runs: the step first builds every package as it is published (`npm run build`, incremental), then launches with `STARSTREAMER_LAUNCH=dist` and without the repository's `@starstreamer/source` condition, so the CLI, the host and every package run as built, with no TypeScript loader: the main thread from the CLI's main bundle (`dist/bundle/main.mjs`, the CLI's compiled `dist/` and the packages its main thread imports, built by `npm run build`; see docs/packaging.md), the workers from bundles of the runtime's `dist/`. From spawn to the reply to `!greet` typed as soon as the banner is printed, warm: the data folder and its build caches exist from an earlier launch. The project links the repository's `node_modules`, so both commands get `--watch-dirs modules`: as in a project with the framework installed, the framework's sources are not watched. `details` splits the wall time into spawn to banner, what the banner reports (it counts from process start; in `dev` from the supervisor's start), and banner to reply.",
  },
  cold_start_first_ms: {
    text: "<= 3.0 s",
    met: (f) => p50(f) <= 3000,
    method:
      "**`cold_start_first_ms`**: as `cold_start_ms` (the built CLI bundle, no tsx), first-ever: a new project folder with no data folder (so no runtime, module or vendor bundles) and an empty `TMPDIR` (no compile cache on Node 22+). `details.npm_run_build_ms` is the build before the launches, not part of any launch.",
  },
  economy_transfers_per_s: {
    text: ">= 5,000/s, invariants hold",
    met: (f) => p50(f) >= 5000 && (f.problems?.length ?? 0) === 0,
    method:
      '**`economy_transfers_per_s`**: transfers through the service path the figure is named for: a `payer` stand-in module that `requires` "bench-economy" gets `custom.payer.pay {from, to, amount}` events (20,000 per round, 256 per turn, the host at its default queue capacity) and calls `ctx.services["bench-economy"].transfer(...)` for each; the economy stand-in runs each as one Kysely transaction in SQLite through the framework\'s storage (prepared statements reused, one connection queued in arrival order): a conditional debit (`UPDATE ... WHERE balance >= amount`), the credit (an upsert) and a ledger row. Rate = transfers / time from the first emit to the payer\'s last handler report. After every round: money is conserved, no balance is negative, one ledger row per accepted transfer, accepted + refused = sent, checked through the service and again by reading the SQLite file. Baseline: the same transactions (same code, same storage) on the main thread with no host, 256 started per turn. `details.cpu_us_per_transfer` is the CPU time of the whole process (every thread) per transfer, for the figure and the baseline: on a shared machine the rate follows the CPU share the run got, this does not.',
  },
  economy_give_per_s: {
    text: "-",
    method:
      "**`economy_give_per_s`**: the chat path: `!give @user <amount>` chat commands from 50 viewers, each a transaction in the economy stand-in's own handler; same invariants. Reported without a target.",
  },
  reload_events_lost: {
    text: "0",
    met: zero,
    correctness: true,
    method:
      "**`reload_events_lost`**: ticks at 1,000 events/s while a module is reloaded 20 times, 40 ms apart: `handlers` edits chatter stand-ins so the reloads add, remove and rename handlers (the tick handler is renamed every other reload and an extra handler comes and goes), `snapshot` reloads a `counter` stand-in that carries its count across reloads with snapshot/restore (the count must equal the ticks sent). Each tick is answered once; lost + duplicated are counted once everything settles.",
  },
  restart_events_lost: {
    text: "0",
    met: zero,
    correctness: true,
    method:
      "**`restart_events_lost`**: a module is crashed (`process.exit` in a handler) while ticks flow at 1,000/s; events sent while it restarts wait in its queue. Five crashes; lost + duplicated ticks.",
  },
  flood_events_lost: {
    text: "0",
    met: zero,
    correctness: true,
    method:
      "**`flood_events_lost`**: 20,000 events at one module (the sink stand-in) in one synchronous burst, at the host's default queue capacity; lost = 20,000 minus the handler runs (dropped by the queue or never run).",
  },
  soak_rss_growth_mb: {
    text: "<= 10 MB",
    met: (f) => p50(f) <= 10,
    method:
      "**`soak_rss_growth_mb`**: a minute of warm-up, then two minutes measured (4 s and 12 s in `--quick`), at 1,000 events/s into chatter stand-ins with a reload every 2 s and a crash every 10 s (crash policy widened so the module is never given up). RSS of the bench process (main thread and its module workers) after GC, sampled at rest after the warm-up (the load and its clock pause) and after the run. At each sample both modules are reloaded first, so every worker alive is a fresh one (a worker that has been busy keeps its young generation grown until a full GC happens to shrink it: 20-70 MB that come and go between runs), then the sample waits at least 12 s and until five readings a second apart agree within 1 MB (worker heaps shrink in steps for about 10 s after a burst). Figure = end minus warm-up. `details` adds the slope of RSS after GC sampled just before each crash (the same point of both cycles) from 40 s after the warm-up sample (the main heap has grown back by then), MB per minute by least squares, so a leak shows as a slope even if the two rest samples happen to agree.",
  },
  soak_events_lost: {
    text: "0",
    met: zero,
    correctness: true,
    method:
      "**`soak_events_lost`**: during the soak, ticks to a module that is only reloaded must all be answered once; the module that crashes loses at most the event whose handler killed it (counted apart in `details`).",
  },
  soak_handle_growth: {
    text: "<= 0 (no growth)",
    met: (f) => (f.median ?? Number.POSITIVE_INFINITY) <= 0,
    method:
      "**`soak_handle_growth`**: active handles plus live worker threads of the bench process at the end of the soak minus after warm-up (the crashing module's restart may be in flight; the count is taken once every module is serving).",
  },
};

/** Fills in `target` and `met` from the table. */
export function withTarget(measured: Measured): Figure {
  const target = TARGETS[measured.name];
  if (!target) throw new Error(`no target for ${measured.name}: add it to bench/lib/targets.ts`);
  return { ...measured, target: target.text, met: target.met ? target.met(measured) : null };
}

/** Whether a figure's miss fails the run (correctness) rather than warns (performance). */
export function isCorrectness(name: string): boolean {
  return TARGETS[name]?.correctness === true;
}
