import { type ChildProcess, spawn } from "node:child_process";

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

/**
 * Set on the first host the launcher starts before it has parsed the command line: that host
 * says nothing about a bad command line, a missing project or `--help` (it exits with code 2),
 * since the launcher itself reports them.
 */
export const EARLY_HOST_ENV = "STARSTREAMER_EARLY_HOST";

/**
 * Whether `argv` (without node and the script) is `starstreamer dev` run under the supervisor as
 * far as can be told without parsing it: no `--help`, `--no-reload` or short flag. The launcher
 * then starts the first host at once, before it loads the command-line parser; the full parse
 * decides the rest (a command line it rejects stops that host quietly: see EARLY_HOST_ENV).
 */
export function startsSupervisedDev(argv: readonly string[]): boolean {
  const [command, ...rest] = argv;
  return (
    command === "dev" &&
    !rest.some(
      (arg) =>
        arg === "--" || arg.startsWith("--help") || arg.startsWith("--no-reload") || /^-[^-]/.test(arg),
    )
  );
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
