import { spawnSync } from "node:child_process";
import { mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { populateModules, repoRoot, tempDir } from "../lib/bench-host.ts";
import { type Child, installedEnv, spawnNode, stopChild } from "../lib/child.ts";
import { type Figure, type Measured, median, p99, type RunOptions, round, sleep } from "../lib/figure.ts";
import { realisticModules } from "./reload.ts";
import { repeatSaves, type Save, saveFigures, saveOnce } from "./save-to-live.ts";

/** The `starstreamer` command a user runs. */
export const BIN = join(repoRoot, "packages", "starstreamer", "bin", "starstreamer.mjs");

/** A project folder as a new user has it: modules copied in, the repository's node_modules linked. */
export function createProject(modules = realisticModules()): { path: string; cleanup(): void } {
  const project = tempDir("project");
  populateModules(join(project.path, "modules"), modules);
  symlinkSync(join(repoRoot, "node_modules"), join(project.path, "node_modules"), "dir");
  return project;
}

/**
 * Builds every package the way it is published (`npm run build`: `tsc -b` per package, the admin
 * page's assets, the type-check job), so the launches below run compiled JavaScript as an
 * installed `starstreamer` does. Incremental: a few seconds when nothing changed. Throws when the
 * build fails: what a user would install does not exist then, and the figures fail with it.
 */
export function buildPackages(log: (message: string) => void): number {
  const started = performance.now();
  const result = spawnSync("npm", ["run", "build"], {
    cwd: repoRoot,
    env: installedEnv(process.env),
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = performance.now() - started;
  if (result.status !== 0) {
    const output = `${result.stdout ?? ""}${result.stderr ?? ""}`.trim().split("\n").slice(-15).join("\n");
    throw new Error(`npm run build failed (the cold start runs the built packages):\n${output}`);
  }
  log(`packages built (npm run build) in ${(ms / 1000).toFixed(1)} s`);
  return ms;
}

/** A free-looking admin port, so concurrent runs on a shared machine do not collide. */
export const randomPort = () => String(20_000 + Math.floor(Math.random() * 20_000));

/** The ready banner both commands print. */
export const BANNER = /StarStreamer (dev|start) ready in (\d+) ms/;

interface Launch {
  total: number;
  toBanner: number;
  reported: number;
  bannerToReply: number;
}

/**
 * Spawns `starstreamer <mode> --offline` in `cwd` as an installed copy runs (the CLI's main
 * bundle built from every package's dist/, no tsx, no source condition: see installedEnv), waits
 * for the banner, types `!greet` and waits for the reply; runs `then` (saves in dev) and stops the
 * process. `tmp` becomes its TMPDIR (Node 22+ keeps its compile cache there; esbuild writes the
 * bundled config).
 */
async function launch(
  mode: "start" | "dev",
  cwd: string,
  tmp: string,
  then?: (child: Child) => Promise<void>,
): Promise<Launch> {
  const started = performance.now();
  // Only the modules folder is watched, as in a project that installed the framework: the linked
  // node_modules resolves to this repository's packages, which others may be editing meanwhile.
  const args = [BIN, mode, "--offline", "--port", randomPort(), "--watch-dirs", "modules"];
  const child = spawnNode(null, args, [], {
    cwd,
    env: { ...installedEnv(process.env), STARSTREAMER_LAUNCH: "dist", TMPDIR: tmp },
  });
  try {
    const banner = await child.line((l) => BANNER.test(l), 120_000);
    // Any greeting word: the saves of an earlier dev launch in the same project change it.
    const reply = child.line((l) => l.includes("[bot] ") && l.endsWith("! 👋"), 20_000);
    child.send("!greet");
    const { at } = await reply;
    await then?.(child);
    return {
      total: at - started,
      toBanner: banner.at - started,
      reported: Number(BANNER.exec(banner.line)?.[2] ?? Number.NaN),
      bannerToReply: at - banner.at,
    };
  } finally {
    await stopChild(child);
  }
}

function coldFigure(
  name: string,
  mode: string,
  runs: Launch[],
  note: string,
  extra: Record<string, unknown> = {},
): Measured {
  const total = runs.map((r) => r.total);
  return {
    name,
    variant: mode,
    unit: "ms",
    n: runs.length,
    median: round(median(total), 0),
    p99: round(p99(total), 0),
    baseline: null,
    ratio: null,
    stand_in: true,
    note,
    details: {
      spawn_to_banner_p50_ms: round(median(runs.map((r) => r.toBanner)), 0),
      banner_reported_p50_ms: round(median(runs.map((r) => r.reported)), 0),
      boot_before_banner_clock_p50_ms: round(median(runs.map((r) => r.toBanner - r.reported)), 0),
      banner_to_reply_p50_ms: round(median(runs.map((r) => r.bannerToReply)), 0),
      ...extra,
    },
  };
}

/**
 * cold_start_ms and cold_start_first_ms for `start` and `dev`; reload_vs_restart_ratio (the warm
 * `start` launches divided by reload_first_ms from the same run); save_to_live_first_ms and
 * save_to_live_ms in the warm `dev` launches, after the reply that ends the cold start.
 */
export async function measureProcesses(options: RunOptions, done: Figure[]): Promise<Measured[]> {
  const buildMs = buildPackages(options.log);
  const firsts = options.quick ? 1 : 3;
  const warms = options.quick ? 1 : 8;
  const savesPerLaunch = 4;
  const firstSaves: Save[] = [];
  const laterSaves: Save[] = [];
  const figures: Measured[] = [];
  const warmStart: Launch[] = [];
  for (const mode of ["start", "dev"] as const) {
    const first: Launch[] = [];
    const warm: Launch[] = [];
    for (let i = 0; i < firsts; i++) {
      const project = createProject();
      const tmp = join(project.path, ".tmp");
      mkdirSync(tmp);
      try {
        first.push(await launch(mode, project.path, tmp));
        // Warm launches reuse the last project: data folder, bundles and compile cache now exist.
        if (i === firsts - 1) {
          for (let w = 0; w < warms; w++) {
            await sleep(200);
            const saves =
              mode === "dev"
                ? async (dev: Child) => {
                    await sleep(500);
                    const module = w % 2 === 0 ? "greeter" : "economy";
                    firstSaves.push(await saveOnce(dev, project.path, module, "in_place"));
                    laterSaves.push(...(await repeatSaves(dev, project.path, savesPerLaunch)));
                  }
                : undefined;
            warm.push(await launch(mode, project.path, tmp, saves));
          }
        }
      } finally {
        project.cleanup();
      }
    }
    figures.push(
      coldFigure(
        "cold_start_first_ms",
        mode,
        first,
        `starstreamer ${mode} --offline as installed (the built CLI bundle, no tsx), fresh project, no data folder, empty TMPDIR (no compile cache); spawn to the reply to !greet`,
        { npm_run_build_ms: round(buildMs, 0) },
      ),
      coldFigure(
        "cold_start_ms",
        mode,
        warm,
        `starstreamer ${mode} --offline as installed (the built CLI bundle, no tsx), existing data folder and caches; spawn to the reply to !greet`,
      ),
    );
    if (mode === "start") warmStart.push(...warm);
  }
  figures.push(...saveFigures(firstSaves, laterSaves));
  const reloads = done.filter((f) => f.name === "reload_first_ms" && f.median !== null);
  const restart = median(warmStart.map((r) => r.total))!;
  const reload = reloads.length > 0 ? Math.max(...reloads.map((f) => f.median!)) : null;
  figures.push({
    name: "reload_vs_restart_ratio",
    unit: "x",
    n: warmStart.length,
    median: reload === null ? null : round(restart / reload, 1),
    p99: null,
    baseline: {
      name: "starstreamer start --offline, spawn to the first reply, ms",
      median: round(restart, 0)!,
    },
    ratio: reload === null ? null : round(restart / reload, 1),
    stand_in: true,
    note: "restart = the warm start launches of cold_start_ms (greeter, economy, chatter); divided by the slower module's reload_first_ms median from this run",
    details: { reload_first_ms_used: reload, restart_p99_ms: round(p99(warmStart.map((r) => r.total)), 0) },
    ...(reload === null ? { error: "needs reload_first_ms from the same run" } : {}),
  });
  return figures;
}
