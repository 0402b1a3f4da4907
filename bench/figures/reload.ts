import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import { ModuleBuilder, VendorBundles } from "@starstreamer/runtime";
import { type BenchHost, benchModule, realModule, startBenchHost, tempDir } from "../lib/bench-host.ts";
import { type Measured, median, p99, type RunOptions, round, sleep } from "../lib/figure.ts";

/** The modules of the "realistic host" used for reload, restart and cold start. */
export const realisticModules = () => [
  { from: realModule("greeter") },
  { from: benchModule("economy") },
  { from: benchModule("chatter") },
];

/** Rewrites the economy stand-in's REVISION constant, the text its `!balance` reply ends with. */
export const setRevision = (source: string, revision: string) =>
  source.replace(/const REVISION = "[^"]*";/, `const REVISION = "${revision}";`);

/** Rewrites the word greeter's `!greet` reply starts with (the line ending in the wave). */
export const setGreeting = (source: string, word: string) =>
  source.replace(/`\w+ (\$\{event\.data\.user\.displayName\}! 👋`)/, `\`${word} $1`);

/** How the bench edits a module so that only its new code can produce the reply. */
interface Subject {
  module: "greeter" | "economy";
  standIn: boolean;
  /** Makes the edit for `mark`; returns the chat line to send and how to know the new reply. */
  edit(bench: BenchHost, mark: string): { say: string; isNew(text: string): boolean };
}

const GREETER: Subject = {
  module: "greeter",
  standIn: false,
  edit(bench, mark) {
    bench.edit("greeter", "actions/greetings.ts", (s) => setGreeting(s, mark));
    return { say: "!greet", isNew: (text) => text.startsWith(`${mark} `) };
  },
};

const ECONOMY: Subject = {
  module: "economy",
  standIn: true,
  edit(bench, mark) {
    bench.edit("economy", "module.ts", (s) => setRevision(s, mark));
    return { say: "!balance", isNew: (text) => text.endsWith(`[${mark}]`) };
  },
};

const SUBJECTS = [GREETER, ECONOMY];

interface Sample {
  total: number;
  apply: number;
}

let marks = 0;

/** One reload through `host.applyChange`, timed to the new code's reply on the main thread. */
async function reloadOnce(bench: BenchHost, subject: Subject, problems: string[]): Promise<Sample | null> {
  const mark = `Mark${++marks}`;
  const { say, isNew } = subject.edit(bench, mark);
  const reply = bench.twitch.next(isNew, 15_000);
  const started = performance.now();
  const change = await bench.host.applyChange(subject.module);
  const applied = performance.now();
  if (change.action !== "reloaded") {
    reply.catch(() => {});
    problems.push(`${subject.module}: ${change.action}${"error" in change ? `: ${change.error}` : ""}`);
    return null;
  }
  bench.chat(say, `viewer${marks}`);
  const at = await reply;
  return { total: at - started, apply: applied - started };
}

const FLOOR_WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
import(workerData).then(() => parentPort.postMessage("ready"));
`;

/** Spawns a bare worker that imports `url`; ms until the import is done. */
async function spawnAndImport(url: string): Promise<number> {
  const started = performance.now();
  const worker = new Worker(FLOOR_WORKER, { eval: true, workerData: url });
  await new Promise((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  const ms = performance.now() - started;
  await worker.terminate();
  return ms;
}

/** The floor of a reload of each subject: a bare worker importing the same bundle. */
async function floors(count: number): Promise<Map<string, number>> {
  const scratch = tempDir("floor");
  const result = new Map<string, number>();
  try {
    const builder = new ModuleBuilder({
      outDir: join(scratch.path, "out"),
      vendor: new VendorBundles(join(scratch.path, "vendor")),
    });
    for (const subject of SUBJECTS) {
      const dir = subject.standIn ? benchModule(subject.module) : realModule(subject.module);
      const build = await builder.build(subject.module, dir);
      const samples: number[] = [];
      for (let i = -2; i < count; i++) {
        const ms = await spawnAndImport(build.url);
        if (i >= 0) samples.push(ms);
        await sleep(20);
      }
      result.set(subject.module, median(samples)!);
    }
    await builder.dispose();
  } finally {
    scratch.cleanup();
  }
  return result;
}

/**
 * reload_first_ms, reload_switch_ms and reload_repeat_ms, each for greeter and the economy
 * stand-in (a database, migrations and a service), as `dev` runs the host.
 */
export async function measureReloads(options: RunOptions): Promise<Measured[]> {
  const firsts = options.quick ? 1 : 10;
  const count = options.quick ? 3 : 20;
  const problems: string[] = [];
  const samples = new Map<string, Sample[]>();
  const add = (kind: string, subject: Subject, sample: Sample | null) => {
    if (!sample) return;
    const key = `${kind}:${subject.module}`;
    samples.set(key, [...(samples.get(key) ?? []), sample]);
  };

  // First reload of a fresh host, alternating the module.
  for (let i = 0; i < firsts * SUBJECTS.length; i++) {
    const subject = SUBJECTS[i % SUBJECTS.length]!;
    const bench = await startBenchHost(realisticModules());
    try {
      await sleep(options.quick ? 500 : 1000);
      add("first", subject, await reloadOnce(bench, subject, problems));
    } finally {
      await bench.close();
    }
  }

  const bench = await startBenchHost(realisticModules());
  try {
    await sleep(500);
    // Warm-up, then switches: each reload is of the module not reloaded last.
    for (let i = -2; i < count * SUBJECTS.length; i++) {
      const subject = SUBJECTS[(i + 2) % SUBJECTS.length]!;
      const sample = await reloadOnce(bench, subject, problems);
      if (i >= 0) add("switch", subject, sample);
      await sleep(500);
    }
    // Repeats: the same module again and again.
    for (const subject of SUBJECTS) {
      for (let i = -1; i < count; i++) {
        const sample = await reloadOnce(bench, subject, problems);
        if (i >= 0) add("repeat", subject, sample);
        await sleep(500);
      }
    }
  } finally {
    await bench.close();
  }

  const floor = await floors(count);
  const figures: Measured[] = [];
  for (const kind of ["first", "switch", "repeat"]) {
    for (const subject of SUBJECTS) {
      const list = samples.get(`${kind}:${subject.module}`) ?? [];
      const total = list.map((s) => s.total);
      const base = floor.get(subject.module)!;
      const mid = median(total);
      figures.push({
        name: `reload_${kind}_ms`,
        variant: subject.module,
        unit: "ms",
        n: total.length,
        median: round(mid, 1),
        p99: round(p99(total), 1),
        baseline: { name: "bare worker spawn + import of the same bundle", median: round(base, 1)! },
        ratio: mid === null ? null : round(mid / base, 2),
        ...(subject.standIn ? { stand_in: true as const } : {}),
        ...(problems.length > 0 ? { problems: [...problems] } : {}),
        note: "host.applyChange(module) to the new code's reply on the main thread; host as dev and start run it (spare: true)",
        details: {
          apply_change_p50_ms: round(median(list.map((s) => s.apply)), 1),
          apply_change_p99_ms: round(p99(list.map((s) => s.apply)), 1),
        },
      });
    }
  }
  return figures;
}
