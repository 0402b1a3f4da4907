import { type ChildProcess, spawn } from "node:child_process";
import { relative, sep } from "node:path";
import { isatty } from "node:tty";
import { type FSWatcher, watch } from "chokidar";
import type { ResolvedConfig } from "../config/load-config.ts";
import { ExitCode } from "../errors.ts";
import type { HostMessage, SupervisorMessage } from "../host/run-host.ts";
import { isSourceFile, watchIgnore } from "../watch/ignore.ts";

/** How to supervise hosts in `dev`. */
export interface SupervisorOptions {
  config: ResolvedConfig;
  /** The command that starts a host: `[launcher, "dev", ...flags]`, run with node. */
  hostArgs: string[];
  /** Where notes go (stderr). */
  print?: (line: string) => void;
  /** How long a host may take to shut down for a restart before it is killed. */
  stopTimeoutMs?: number;
}

const inside = (path: string, dir: string) => path === dir || path.startsWith(`${dir}${sep}`);

/**
 * The dev supervisor: runs the host as a child process and restarts it when the framework's
 * sources (or the config, or .env) change, saying why. It never exits because the host crashed:
 * it reports the crash and waits for the next change. Ctrl-C asks the host to shut down cleanly and
 * exits with its code; a second Ctrl-C kills it.
 */
export async function runSupervisor(options: SupervisorOptions): Promise<number> {
  const { config } = options;
  const print = options.print ?? ((line: string) => process.stderr.write(`[starstreamer] ${line}\n`));
  const root = config.root;
  const show = (path: string) => relative(root, path) || path;
  let child: ChildProcess | null = null;
  let stopping = false;
  let restarting: Promise<void> | null = null;
  let interrupts = 0;
  let done: (code: number) => void = () => {};
  const finished = new Promise<number>((resolve) => (done = resolve));

  const restoreTerminal = () => {
    // A host killed while its prompt had the TTY in raw mode would leave it there.
    if (isatty(0)) {
      try {
        process.stdin.setRawMode(false);
      } catch {}
    }
  };

  const start = () => {
    const proc = spawn(process.execPath, [...process.execArgv, ...options.hostArgs], {
      cwd: root,
      stdio: ["inherit", "inherit", "inherit", "ipc"],
      env: { ...process.env, STARSTREAMER_SUPERVISED: "1" },
    });
    child = proc;
    proc.on("message", (message: HostMessage) => {
      if (message?.type === "interrupt") interrupt("Ctrl-C");
    });
    proc.on("exit", (code, signal) => {
      if (child === proc) child = null;
      if (stopping) {
        restoreTerminal();
        done(signal ? ExitCode.FORCED : (code ?? ExitCode.FAILURE));
        return;
      }
      if (restarting) return;
      restoreTerminal();
      print(
        `the bot exited (${signal ? `signal ${signal}` : `code ${code}`}); fix the problem and save a file to restart it`,
      );
    });
  };

  const stopChild = async (proc: ChildProcess): Promise<void> => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
    if (proc.connected) proc.send({ type: "shutdown" } satisfies SupervisorMessage);
    else proc.kill("SIGTERM");
    const timer = setTimeout(() => proc.kill("SIGKILL"), options.stopTimeoutMs ?? 10_000);
    await exited;
    clearTimeout(timer);
  };

  const restart = (why: string) => {
    if (stopping || restarting) return;
    print(`${why}: restarting the bot`);
    restarting = (async () => {
      if (child) await stopChild(child);
      restarting = null;
      if (!stopping) start();
    })();
  };

  function interrupt(why: string): void {
    interrupts++;
    if (interrupts === 1) {
      stopping = true;
      void watcher.close();
      if (child?.connected) child.send({ type: "shutdown" } satisfies SupervisorMessage);
      else if (child) child.kill("SIGTERM");
      else if (restarting) void restarting.then(() => done(ExitCode.OK));
      else done(ExitCode.OK);
      void why;
      return;
    }
    print("forced: killing the bot");
    child?.kill("SIGKILL");
    restoreTerminal();
    done(ExitCode.FORCED);
  }

  // The framework's folders, the config file and .env restart the host. The modules folder is
  // watched too, but only matters while the host is down (the host reloads modules itself).
  const restartFiles = [config.configFile, config.envFile, `${root}${sep}.env`].filter(
    (f): f is string => f !== null,
  );
  const roots = [...config.frameworkWatchDirs, ...config.moduleWatchDirs];
  const isRestartFile = (path: string) => restartFiles.includes(path);
  const ignoreSources = watchIgnore({ roots, modulesDir: config.modulesDir, exclude: [config.dataDir] });
  const watcher: FSWatcher = watch([...new Set([...roots, ...restartFiles])], {
    ignoreInitial: true,
    ignored: (path, stats) => !isRestartFile(path) && ignoreSources(path, stats),
  });
  let timer: NodeJS.Timeout | null = null;
  const changed = new Set<string>();
  watcher.on("all", (_event, path) => {
    if (stopping || !(isSourceFile(path) || isRestartFile(path))) return;
    const inModules = inside(path, config.modulesDir);
    if (inModules && child) return;
    changed.add(path);
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      const files = [...changed].map(show);
      changed.clear();
      restart(
        `${files.slice(0, 3).join(", ")}${files.length > 3 ? ` (+${files.length - 3} more)` : ""} changed`,
      );
    }, config.reload.debounceMs);
  });
  watcher.on("error", () => {});
  await new Promise<void>((resolve) => watcher.once("ready", () => resolve()));

  process.on("SIGINT", () => interrupt("Ctrl-C"));
  process.on("SIGTERM", () => interrupt("SIGTERM"));
  process.on("SIGHUP", () => interrupt("SIGHUP"));
  start();
  const code = await finished;
  if (timer) clearTimeout(timer);
  await watcher.close();
  return code;
}
