import { existsSync } from "node:fs";
import { join, relative } from "node:path";
import { performance } from "node:perf_hooks";
import type { AdminServer } from "@starstreamer/admin";
import { createHost, createLogger, type Host, type HostLogger, type LogRecord } from "@starstreamer/runtime";
import type { ResolvedConfig } from "../config/load-config.ts";
import { ExitCode, UsageError } from "../errors.ts";
import { watchPlanOf } from "../supervisor/watch-plan.ts";
import { createTerminal, type Terminal } from "../terminal/terminal.ts";
import { formatBanner } from "./banner.ts";
import type { DevWatch } from "./dev-watch.ts";
import { ModuleNotes } from "./module-notes.ts";
import { type ChosenPlugins, choosePlugins } from "./plugins.ts";
import { createShutdown, type HostMessage } from "./shutdown.ts";
import { createTerminalChat } from "./terminal-chat.ts";

export type { HostMessage, SupervisorMessage } from "./shutdown.ts";

/** How to run a host. */
export interface RunHostOptions {
  mode: "dev" | "start";
  /** Watch the modules folder and reload changed modules. */
  reload: boolean;
  /** Run under the dev supervisor (an IPC channel to it exists). */
  supervised?: boolean;
  terminal?: Terminal;
  /** How long a clean shutdown may take before it is forced. */
  shutdownTimeoutMs?: number;
  /** Process exit, for a forced shutdown (tests inject it). */
  exit?: (code: number) => never;
}

/** The banner's chat line: the choice, plus the connection state of a remote chat. */
function chatStatus(chosen: ChosenPlugins, host: Host): string {
  if (chosen.chat === "local") return chosen.chatBanner;
  const status = host.pluginStatus().twitch;
  return `${chosen.chatBanner}${status ? ` (${status.state}${status.detail ? `: ${status.detail}` : ""})` : ""}`;
}

function createCliLogger(config: ResolvedConfig, terminal: Terminal, notes: ModuleNotes): HostLogger {
  return createLogger({
    level: config.logLevel,
    write: (line, record: LogRecord) => {
      if (!notes.printedByCli(record)) terminal.print(line, "stderr");
    },
  });
}

/**
 * When this command started, ms since the epoch: the dev supervisor passes its own start to the
 * first host, so "ready in" covers everything the user waited for.
 */
function launchedAt(env: NodeJS.ProcessEnv): number {
  const given = Number(env.STARSTREAMER_LAUNCHED_AT);
  return Number.isFinite(given) && given > 0 ? given : performance.timeOrigin;
}

/**
 * Runs a host in this process until it is told to stop: loads the modules, offers the local chat
 * in the terminal, watches the modules folder when reloading, and shuts down in order on Ctrl-C
 * (stop taking events, let handlers finish, shut modules down, close the pool and the database).
 * A second Ctrl-C forces. Resolves with the exit code.
 */
export async function runHost(config: ResolvedConfig, options: RunHostOptions): Promise<number> {
  const terminal = options.terminal ?? createTerminal();
  const notes = new ModuleNotes();
  const logger = createCliLogger(config, terminal, notes);
  const running: {
    host: Host | null;
    watch: DevWatch | null;
    admin: AdminServer | null;
    startup: Promise<unknown>;
  } = { host: null, watch: null, admin: null, startup: Promise.resolve() };
  const shutdown = createShutdown({
    terminal,
    supervised: options.supervised === true && typeof process.send === "function",
    timeoutMs: options.shutdownTimeoutMs ?? 20_000,
    exit: options.exit ?? ((code: number) => process.exit(code)),
    stopInput: async () => {
      terminal.stopInput();
      chat.close();
      await running.watch?.close();
      await running.admin?.close();
    },
    closeHost: async () => {
      await running.startup.catch(() => {});
      await running.host?.close();
    },
  });
  const chat = createTerminalChat({
    config,
    terminal,
    logger,
    host: () => running.host,
    notes,
    quit: () => shutdown.request("/quit"),
  });
  shutdown.listen();

  // 1. Create the host with the chat plugin and load the modules.
  if (!existsSync(join(config.dataDir, ".build", "vendor"))) {
    terminal.print(
      `first start with ${relative(config.root, config.dataDir) || "."}/: building the shared package bundles module workers import (kept for later starts)`,
      "stderr",
    );
  }
  let chosen: ChosenPlugins | undefined;
  // The admin page (Hono) and the file watching load while the modules' workers boot.
  let later: Promise<[typeof import("./admin.ts"), typeof import("./dev-watch.ts") | null]> | undefined;
  const starting = (async () => {
    chosen = await choosePlugins(config, chat);
    const created = createHost({
      modulesDir: config.modulesDir,
      dataDir: config.dataDir,
      plugins: chosen.plugins,
      modules: config.modules,
      commandPrefix: config.commandPrefix,
      logger,
      // A reload (a save in dev, the admin page in start) or a crash restart takes a booted worker.
      spare: true,
    });
    later = Promise.all([import("./admin.ts"), options.reload ? import("./dev-watch.ts") : null]);
    later.catch(() => {});
    running.host = await created;
    // Ready when the healthy modules serve: a slow initialize goes on in the background.
    return { host: running.host, result: await running.host.start({ waitMs: 5000 }) };
  })();
  running.startup = starting;
  let host: Host;
  let result: Awaited<ReturnType<Host["start"]>>;
  try {
    ({ host, result } = await starting);
  } catch (error) {
    terminal.print(`could not start: ${(error as Error).message}`, "stderr");
    terminal.stopInput();
    await running.host?.close().catch(() => {});
    return error instanceof UsageError ? ExitCode.USAGE : ExitCode.FAILURE;
  }
  if (shutdown.stopping) return shutdown.finished;

  // 2. Serve the admin page and 3. watch the modules folder, both at once.
  const [{ startAdmin }, devWatch] = await later!;
  const watching =
    devWatch && config.moduleWatchDirs.length > 0
      ? devWatch.startDevWatch(host, config, {
          mode: options.mode,
          terminal,
          logger,
          stopping: () => shutdown.stopping,
          notes,
          onTypeCheck: (report) => running.admin?.reportTypeCheck(report),
        })
      : Promise.resolve(null);
  watching.catch(() => {});
  try {
    running.admin = await startAdmin(host, chat, config, logger);
  } catch (error) {
    terminal.print(`starstreamer: ${(error as Error).message}`, "stderr");
    terminal.stopInput();
    await (await watching.catch(() => null))?.close();
    await host.close().catch(() => {});
    return ExitCode.USAGE;
  }
  running.watch = await watching;

  // 4. Say it is ready and take typed lines.
  terminal.print(
    formatBanner({
      mode: options.mode,
      readyMs: Date.now() - launchedAt(process.env),
      modules: host.registry.stats().modules,
      failed: result.failed,
      starting: result.starting,
      twitch: chosen ? chatStatus(chosen, host) : "local chat",
      reload: options.reload,
      admin: running.admin ? `${running.admin.url}/modules` : null,
      config,
    }),
  );
  terminal.onLine((line) => void chat.input(line));
  if (options.supervised && typeof process.send === "function" && process.connected)
    process.send({ type: "ready", watch: watchPlanOf(config) } satisfies HostMessage);
  return shutdown.finished;
}
