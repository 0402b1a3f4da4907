import { type ChildProcess, spawn } from "node:child_process";
import { join, relative, resolve, sep } from "node:path";
import { isatty } from "node:tty";
import type { FSWatcher } from "chokidar";
import type { RunFlags } from "../args.ts";
import { CONFIG_FILES } from "../config/config-files.ts";
import type { ResolvedConfig } from "../config/load-config.ts";
import { ExitCode } from "../errors.ts";
import type { HostMessage, SupervisorMessage } from "../host/run-host.ts";
import { isSourceFile, watchIgnore } from "../watch/ignore.ts";

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
}

const inside = (path: string, dir: string) => path === dir || path.startsWith(`${dir}${sep}`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * The dev supervisor: runs the host as a child process and restarts it when the framework's
 * sources, the config or .env change, saying why. The first host starts at once; the supervisor
 * reads the config and starts watching meanwhile (a config the host cannot load either is reported
 * by the host, once). A changed config is loaded and checked here first: an invalid one is
 * reported and the running bot keeps serving with the previous config. A config file created
 * while dev runs counts as a change. It never exits because the host crashed: it reports the
 * crash and waits for the next change. Ctrl-C asks the host to shut down cleanly and exits with
 * its code; a second Ctrl-C kills it.
 */
export async function runSupervisor(options: SupervisorOptions): Promise<number> {
  const print = options.print ?? ((line: string) => process.stderr.write(`[starstreamer] ${line}\n`));
  const root = options.root;
  const baseEnv = options.env ?? process.env;
  const show = (path: string) => relative(root, path) || path;
  let child: ChildProcess | null = null;
  let stopping = false;
  let restarting: Promise<void> | null = null;
  /** The config, once read: until then an exit of the first host is judged after reading it. */
  let config: ResolvedConfig | null = null;
  /** How the first host exited while the config was still being read. */
  let earlyExit: string | null = null;
  /** When the running bot was asked to stop for a restart (to say how long it was down). */
  let downSince: number | null = null;
  let interrupts = 0;
  let done: (code: number) => void = () => {};
  const finished = new Promise<number>((resolve) => (done = resolve));
  const watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | null = null;

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

  let launches = 0;
  const start = (): Promise<number | null> => {
    const proc = spawn(process.execPath, [...process.execArgv, ...options.hostArgs], {
      cwd: root,
      stdio: ["inherit", "inherit", "inherit", "ipc"],
      env: {
        ...baseEnv,
        STARSTREAMER_SUPERVISED: "1",
        // The first host's "ready in" counts from this process's start, which the user waited for.
        STARSTREAMER_LAUNCHED_AT: launches++ === 0 ? String(performance.timeOrigin) : "",
      },
    });
    child = proc;
    proc.on("message", (message: HostMessage) => {
      if (message?.type === "interrupt") interrupt(message.why ?? "Ctrl-C");
      if (message?.type === "ready" && downSince !== null) {
        print(`the bot is back: it was down for ${seconds(performance.now() - downSince)}`);
        downSince = null;
      }
    });
    return new Promise((resolve) =>
      proc.on("exit", (code, signal) => {
        resolve(code);
        if (child === proc) child = null;
        if (stopping) {
          restoreTerminal();
          done(signal ? ExitCode.FORCED : (code ?? ExitCode.FAILURE));
          return;
        }
        if (restarting) return;
        const how = signal ? `signal ${signal}` : `code ${code}`;
        if (config) reportExit(how);
        else earlyExit = how;
      }),
    );
  };

  const stopChild = async (proc: ChildProcess, why: string): Promise<void> => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
    if (proc.connected) proc.send({ type: "shutdown", why } satisfies SupervisorMessage);
    else proc.kill("SIGTERM");
    const timer = setTimeout(() => proc.kill("SIGKILL"), options.stopTimeoutMs ?? 10_000);
    await exited;
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
      if (!stopping) void start();
    })();
  };

  function interrupt(why: string): void {
    interrupts++;
    if (interrupts === 1) {
      stopping = true;
      for (const w of watchers) void w.close();
      if (child?.connected) child.send({ type: "shutdown", why } satisfies SupervisorMessage);
      else if (child) child.kill("SIGTERM");
      else if (restarting) void restarting.then(() => done(ExitCode.OK));
      else done(ExitCode.OK);
      if (!child) print(`stopped (${why})`);
      return;
    }
    print("forced: killing the bot");
    child?.kill("SIGKILL");
    restoreTerminal();
    done(ExitCode.FORCED);
  }

  process.on("SIGINT", () => interrupt("Ctrl-C"));
  process.on("SIGTERM", () => interrupt("SIGTERM"));
  process.on("SIGHUP", () => interrupt("SIGHUP"));
  // The first host boots while this process reads the config and sets up its watchers.
  const firstExit = start();
  try {
    config = await options.loadConfig({ ...baseEnv });
  } catch (error) {
    // The host reads the same config and fails on the same problem, which it reports; wait for it.
    stopping = true;
    const code = await firstExit;
    if (code === ExitCode.USAGE) return ExitCode.USAGE;
    throw error;
  }
  if (stopping) return finished;
  if (earlyExit !== null) reportExit(earlyExit);
  await watchProject(config);
  const code = await finished;
  if (timer) clearTimeout(timer);
  await Promise.all(watchers.map((w) => w.close()));
  return code;

  /**
   * The config file (any of the names, so one created while dev runs counts) and .env, in the
   * project folder, restart the host; so do the framework's folders. The modules folder is
   * watched too, but only matters while the host is down (the host reloads modules itself).
   */
  async function watchProject(config: ResolvedConfig): Promise<void> {
    const { watch } = await import("chokidar");
    const explicitConfig = options.flags?.config !== undefined ? resolve(root, options.flags.config) : null;
    const restartFiles = new Set(
      explicitConfig
        ? [explicitConfig, join(root, ".env")]
        : [...CONFIG_FILES, ".env"].map((n) => join(root, n)),
    );
    const isRestartFile = (path: string) => restartFiles.has(path);
    const roots = [...config.frameworkWatchDirs, ...config.moduleWatchDirs];
    const ignoreSources = watchIgnore({ roots, modulesDir: config.modulesDir, exclude: [config.dataDir] });
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
    const onChange = (path: string) => {
      if (stopping) return;
      const restartFile = isRestartFile(path);
      if (!restartFile && !isSourceFile(path)) return;
      if (!restartFile && inside(path, config.modulesDir) && child) return;
      changed.add(path);
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = null;
        const paths = [...changed];
        const files = paths.map(show);
        changed.clear();
        restart(
          `${files.slice(0, 3).join(", ")}${files.length > 3 ? ` (+${files.length - 3} more)` : ""} changed`,
          paths.some(isRestartFile),
        );
      }, config.reload.debounceMs);
    };
    for (const w of watchers) {
      w.on("all", (_event, path) => onChange(path));
      w.on("error", () => {});
    }
    await Promise.all(watchers.map((w) => new Promise<void>((resolve) => w.once("ready", () => resolve()))));
  }
}
