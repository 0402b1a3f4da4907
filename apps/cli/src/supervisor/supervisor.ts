import { dirname, join, relative, resolve, sep } from "node:path";
import { isatty } from "node:tty";
import type { FSWatcher } from "chokidar";
import type { RunFlags } from "../args.ts";
import { CONFIG_FILES } from "../config/config-files.ts";
import type { ResolvedConfig } from "../config/load-config.ts";
import { ExitCode } from "../errors.ts";
import type { HostMessage, SupervisorMessage } from "../host/shutdown.ts";
import { inside, isSourceFile, watchIgnore } from "../watch/ignore.ts";
import { type HostProcess, spawnHost } from "./host-process.ts";
import { isWatchPlan, type WatchPlan, watchPlanOf } from "./watch-plan.ts";

/** How to supervise hosts in `dev`. */
export interface SupervisorOptions {
  /** The project folder, where every host runs. */
  root: string;
  /**
   * Loads the project config as a host does (with `env` and `flags`). The first host starts
   * before it is called: the supervisor needs the config only for what it watches.
   */
  loadConfig: (env: NodeJS.ProcessEnv) => Promise<ResolvedConfig>;
  /** The command that starts a host: `[launcher, "dev", ...flags]`, run with node. */
  hostArgs: string[];
  /** The flags the config was resolved with (to check a changed config the same way). */
  flags?: Partial<RunFlags>;
  /** The environment before `.env` was read; every host starts from it and reads `.env` itself. */
  env?: NodeJS.ProcessEnv;
  /** Where notes go (stderr). */
  print?: (line: string) => void;
  /** How long a host may take to shut down for a restart before it is killed. */
  stopTimeoutMs?: number;
  /** The first host, when the launcher already started it (startsSupervisedDev); else started here. */
  firstHost?: HostProcess | null;
  /** How long the watchers wait for the first host's "ready" before reading the config themselves. */
  readyTimeoutMs?: number;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * The dev supervisor: runs the host as a child process and restarts it when the framework's
 * sources, the config or .env change, saying why. The first host starts at once (the launcher
 * may have started it already); the supervisor sets up its watchers only once that host is
 * ready, from the watch plan the host sends (no config loader, no CPU taken from the booting
 * host), and then restarts the host if anything it watches changed since the host was spawned
 * (file times), so a change made while the host booted is not lost. If the first host exits
 * before it is ready, the supervisor reads the config itself (a config the host cannot load
 * either was reported by the host, once: the supervisor exits with its code). A changed config
 * is loaded and checked here first: an invalid one is reported and the running bot keeps serving
 * with the previous config. A config file created while dev runs counts as a change. It never
 * exits because the host crashed: it reports the crash and waits for the next change. Ctrl-C
 * asks the host to shut down cleanly and exits with its code; a second Ctrl-C kills it.
 */
export async function runSupervisor(options: SupervisorOptions): Promise<number> {
  const print = options.print ?? ((line: string) => process.stderr.write(`[starstreamer] ${line}\n`));
  const root = options.root;
  const baseEnv = options.env ?? process.env;
  /** A path as printed; a folder (found by the catch-up) keeps its trailing separator. */
  const show = (path: string) => `${relative(root, path) || path}${path.endsWith(sep) ? sep : ""}`;
  let child: HostProcess | null = null;
  let stopping = false;
  let restarting: Promise<void> | null = null;
  /** What is watched, once known: until then an exit of the first host is judged after reading the config. */
  let plan: WatchPlan | null = null;
  /** How the first host exited before the watch plan was known. */
  let earlyExit: string | null = null;
  let lastExitCode: number | null = null;
  /** When the running bot was asked to stop for a restart (to say how long it was down). */
  let downSince: number | null = null;
  let interrupts = 0;
  let done: (code: number) => void = () => {};
  let fail: (error: unknown) => void = () => {};
  const finished = new Promise<number>((resolve, reject) => {
    done = resolve;
    fail = reject;
  });
  const watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | null = null;
  /** The watchers being set up (once: on the first host's "ready", its exit, or readyTimeoutMs). */
  let watching: Promise<void> | null = null;
  /** Until then the first host may say it is ready; after it, the watchers start regardless. */
  let readyTimer: NodeJS.Timeout | null = null;

  const restoreTerminal = () => {
    // A host killed while its prompt had the TTY in raw mode would leave it there.
    if (isatty(0)) {
      try {
        process.stdin.setRawMode(false);
      } catch {}
    }
  };

  const reportExit = (how: string) => {
    restoreTerminal();
    downSince ??= performance.now();
    print(`the bot exited (${how}); fix the problem and save a file to restart it`);
  };

  const adopt = (host: HostProcess): void => {
    const { proc } = host;
    child = host;
    proc.on("message", (message: HostMessage) => {
      if (message?.type === "interrupt") interrupt(message.why ?? "Ctrl-C");
      if (message?.type === "ready") {
        if (downSince !== null) {
          print(`the bot is back: it was down for ${seconds(performance.now() - downSince)}`);
          downSince = null;
        }
        startWatching(isWatchPlan(message.watch) ? message.watch : null, host.spawnedAt);
      }
    });
    void host.exited.then(({ code, signal }) => {
      lastExitCode = code;
      if (child === host) child = null;
      if (stopping) {
        restoreTerminal();
        done(signal ? ExitCode.FORCED : (code ?? ExitCode.FAILURE));
        return;
      }
      if (restarting) return;
      const how = signal ? `signal ${signal}` : `code ${code}`;
      if (plan) reportExit(how);
      else {
        earlyExit = how;
        startWatching(null, host.spawnedAt);
      }
    });
  };

  let launches = 0;
  const start = (): void =>
    adopt(
      spawnHost({
        hostArgs: options.hostArgs,
        cwd: root,
        env: baseEnv,
        // The first host's "ready in" counts from this process's start, which the user waited for.
        launchedAt: launches++ === 0 ? performance.timeOrigin : null,
      }),
    );

  const stopChild = async (host: HostProcess, why: string): Promise<void> => {
    const { proc } = host;
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    if (proc.connected) proc.send({ type: "shutdown", why } satisfies SupervisorMessage);
    else proc.kill("SIGTERM");
    const timer = setTimeout(() => proc.kill("SIGKILL"), options.stopTimeoutMs ?? 10_000);
    await host.exited;
    clearTimeout(timer);
  };

  /** Loads the config as the next host will; null when it is fine, else the message to print. */
  const checkConfig = async (): Promise<string | null> => {
    try {
      await options.loadConfig({ ...baseEnv });
      return null;
    } catch (error) {
      return (error as Error).message;
    }
  };

  const restart = (why: string, configChanged: boolean) => {
    if (stopping || restarting) return;
    restarting = (async () => {
      const problem = configChanged ? await checkConfig() : null;
      if (problem !== null) {
        print(
          child
            ? `${why}, but the config is not valid; the bot keeps running with the previous one:\n  ${problem}`
            : `${why}, but the config is not valid; fix it and save to start the bot:\n  ${problem}`,
        );
        restarting = null;
        return;
      }
      print(`${why}: restarting the bot`);
      if (child) {
        downSince = performance.now();
        await stopChild(child, `restart: ${why}`);
      }
      restarting = null;
      if (!stopping) start();
    })();
  };

  function interrupt(why: string): void {
    interrupts++;
    if (interrupts === 1) {
      stopping = true;
      for (const w of watchers) void w.close();
      const host = child;
      if (host?.proc.connected) host.proc.send({ type: "shutdown", why } satisfies SupervisorMessage);
      else if (host) host.proc.kill("SIGTERM");
      else if (restarting) void restarting.then(() => done(ExitCode.OK));
      else done(ExitCode.OK);
      if (!host) print(`stopped (${why})`);
      return;
    }
    print("forced: killing the bot");
    child?.proc.kill("SIGKILL");
    restoreTerminal();
    done(ExitCode.FORCED);
  }

  /**
   * Sets up the watchers once, from the host's watch plan or, without one, from the config read
   * here; `since` is when the host that is (or was) running was spawned.
   */
  function startWatching(given: WatchPlan | null, since: number): void {
    if (watching || stopping) return;
    if (readyTimer) clearTimeout(readyTimer);
    const task = (async () => {
      let next = given;
      if (next === null) {
        try {
          next = watchPlanOf(await options.loadConfig({ ...baseEnv }));
        } catch (error) {
          if (child) {
            // The host runs with a config it could load: try again when it is ready or exits.
            watching = null;
            return;
          }
          // The host read the same config and failed on the same problem, which it reported.
          stopping = true;
          if (lastExitCode === ExitCode.USAGE) done(ExitCode.USAGE);
          else fail(error);
          return;
        }
      }
      if (stopping) return;
      plan = next;
      if (earlyExit !== null) reportExit(earlyExit);
      await watchProject(next, since);
    })();
    watching = task;
    task.catch(fail);
  }

  const onSignal = {
    SIGINT: () => interrupt("Ctrl-C"),
    SIGTERM: () => interrupt("SIGTERM"),
    SIGHUP: () => interrupt("SIGHUP"),
  };
  for (const [signal, listener] of Object.entries(onSignal)) process.on(signal, listener);
  if (options.firstHost) {
    launches++;
    adopt(options.firstHost);
  } else start();
  // A host that is neither ready nor gone in time: watch anyway (the config read here says what).
  readyTimer = setTimeout(() => {
    readyTimer = null;
    if (child) startWatching(null, child.spawnedAt);
  }, options.readyTimeoutMs ?? 10_000);
  try {
    return await finished;
  } finally {
    // Watchers still being set up see this and close what they made.
    stopping = true;
    if (readyTimer) clearTimeout(readyTimer);
    if (timer) clearTimeout(timer);
    for (const [signal, listener] of Object.entries(onSignal)) process.off(signal, listener);
    await Promise.all(watchers.map((w) => w.close()));
  }

  /**
   * The config file (any of the names, so one created while dev runs counts) and .env, in the
   * project folder, restart the host; so do the framework's folders. The modules folder is
   * watched too, but only matters while the host is down (the host reloads modules itself).
   * Once the watchers are ready, whatever they cover that changed since `since` counts as a
   * change too (it happened while the host was booting, before there was anyone to see it).
   */
  async function watchProject(plan: WatchPlan, since: number): Promise<void> {
    const [{ watch }, { catchUp }] = await Promise.all([import("chokidar"), import("./changed-since.ts")]);
    if (stopping) return;
    const explicitConfig = options.flags?.config !== undefined ? resolve(root, options.flags.config) : null;
    const restartFiles = new Set(
      explicitConfig
        ? [explicitConfig, join(root, ".env")]
        : [...CONFIG_FILES, ".env"].map((n) => join(root, n)),
    );
    const isRestartFile = (path: string) => restartFiles.has(path);
    const roots = [...plan.frameworkDirs, ...plan.moduleDirs];
    const ignoreSources = watchIgnore({ roots, modulesDir: plan.modulesDir, exclude: [plan.dataDir] });
    const watcher: FSWatcher = watch(roots, { ignoreInitial: true, ignored: ignoreSources });
    // The project folder itself, one level deep, for the config and .env (created, changed, removed).
    const fileDirs = [...new Set([...restartFiles].map((f) => resolve(f, "..")))];
    const fileWatcher: FSWatcher = watch(fileDirs, {
      ignoreInitial: true,
      depth: 0,
      ignored: (path) => !fileDirs.includes(path) && !isRestartFile(path),
    });
    watchers.push(watcher, fileWatcher);
    const changed = new Set<string>();
    /** A changed path; `entries`: a folder that gained or lost an entry (found by the catch-up). */
    const onChange = (path: string, entries = false) => {
      if (stopping) return;
      const restartFile = isRestartFile(path);
      if (!restartFile && !entries && !isSourceFile(path)) return;
      if (!restartFile && inside(path, plan.modulesDir) && child) return;
      changed.add(entries ? `${path}${sep}` : path);
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = null;
        // A folder that gained or lost an entry is named only when no changed file in it says more.
        const files = [...changed].filter((p) => !p.endsWith(sep));
        const paths = [...changed].filter(
          (p) => !p.endsWith(sep) || !files.some((file) => `${dirname(file)}${sep}` === p),
        );
        const shown = paths.map(show);
        changed.clear();
        restart(
          `${shown.slice(0, 3).join(", ")}${shown.length > 3 ? ` (+${shown.length - 3} more)` : ""} changed`,
          paths.some(isRestartFile),
        );
      }, plan.debounceMs);
    };
    for (const w of watchers) {
      w.on("all", (_event, path) => onChange(path));
      w.on("error", () => {});
    }
    await Promise.all(
      [watcher, fileWatcher].map((w) => new Promise<void>((resolve) => w.once("ready", () => resolve()))),
    );
    if (stopping) return;
    const found = await catchUp({
      watched: watcher.getWatched(),
      roots,
      frameworkDirs: plan.frameworkDirs,
      files: [...restartFiles],
      used: [plan.configFile, plan.envFile].filter((file) => file !== null),
      ignored: ignoreSources,
      since,
    });
    if (stopping) return;
    for (const file of found.files) onChange(file);
    for (const folder of found.folders) onChange(folder, true);
  }
}
