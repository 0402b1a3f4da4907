import { type ChildProcess, spawn } from "node:child_process";
import type { RunFlags } from "../args.ts";
import { launcherPath } from "../config/framework-dirs.ts";
import { findProjectRoot } from "../config/project-root.ts";

/** A host process started by the dev supervisor (or, for the first one, by the launcher for it). */
export interface HostProcess {
  readonly proc: ChildProcess;
  /**
   * `Date.now()` just before the spawn: a file changed from then on may or may not be in what
   * this host loaded, so the supervisor's watchers, set up later, count it as a change.
   */
  readonly spawnedAt: number;
  /** Resolves when the process has exited (listened to from the spawn on, so it is never missed). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** How to start one host. */
export interface SpawnHostOptions {
  /** The command that starts a host: `[launcher, "dev", ...flags]`, run with node. */
  hostArgs: string[];
  /** The project folder. */
  cwd: string;
  /** The environment before `.env` was read; the host reads `.env` itself. */
  env: NodeJS.ProcessEnv;
  /** When the command started (ms since the epoch), for the host's "ready in"; null: its own start. */
  launchedAt: number | null;
}

/**
 * Starts a host as a child of this process: the same node and node flags, the terminal shared,
 * and an IPC channel for "ready", "interrupt" and "shutdown".
 */
export function spawnHost(options: SpawnHostOptions): HostProcess {
  const spawnedAt = Date.now();
  const proc = spawn(process.execPath, [...process.execArgv, ...options.hostArgs], {
    cwd: options.cwd,
    stdio: ["inherit", "inherit", "inherit", "ipc"],
    env: {
      ...options.env,
      STARSTREAMER_SUPERVISED: "1",
      STARSTREAMER_LAUNCHED_AT: options.launchedAt === null ? "" : String(options.launchedAt),
    },
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return { proc, spawnedAt, exited };
}

/**
 * The first host of `starstreamer dev`, started before anything else is imported (the launcher
 * calls this right after parsing the command line): the host's boot overlaps the supervisor's.
 * Null when the project folder cannot be found: the command reports that and starts nothing.
 */
export function startFirstHost(
  argv: string[],
  flags: Pick<RunFlags, "config">,
  where: { cwd: string; env: NodeJS.ProcessEnv },
): HostProcess | null {
  let root: string;
  try {
    // As main.ts finds it: with --config, the current folder.
    root = flags.config !== undefined ? where.cwd : findProjectRoot(where.cwd).root;
  } catch {
    return null;
  }
  return spawnHost({
    hostArgs: [launcherPath, ...argv],
    cwd: root,
    env: { ...where.env },
    // The first host's "ready in" counts from this process's start, which the user waited for.
    launchedAt: performance.timeOrigin,
  });
}
