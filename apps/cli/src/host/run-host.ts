import { relative } from "node:path";
import { performance } from "node:perf_hooks";
import { createLocalChat, type LocalChatOutput } from "@starstreamer/plugins";
import { createHost, createLogger, type Host, type LogLevel, type LogRecord } from "@starstreamer/runtime";
import type { ResolvedConfig } from "../config/load-config.ts";
import { ExitCode } from "../errors.ts";
import { createTerminal, type Terminal } from "../terminal/terminal.ts";
import { createTypeChecker, type TypeChecker } from "../typecheck/type-checker.ts";
import {
  type ModuleChange,
  type ModuleWatcher,
  reloadChange,
  watchModules,
} from "../watch/module-watcher.ts";
import { formatBanner } from "./banner.ts";

/** Messages between the dev supervisor and the host it runs. */
export type SupervisorMessage = { type: "shutdown" };
export type HostMessage = { type: "ready" } | { type: "interrupt" };

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

/** Log records the CLI shows in its own words (its reload line), so they are not printed twice. */
function printedElsewhere(record: LogRecord): boolean {
  return record.message.startsWith("reload failed") && record.fields.module !== undefined;
}

function twitchStatus(config: ResolvedConfig): string {
  if (config.offline) return "offline (--offline): local chat in this terminal, type !greet or /help";
  if (config.twitchCredentials) {
    return "credentials found, but the Twitch connection is not built yet: offline, local chat in this terminal (/help)";
  }
  return "offline (no TWITCH_CLIENT_ID / TWITCH_ACCESS_TOKEN): local chat in this terminal, type !greet or /help";
}

function chatLine(output: LocalChatOutput): string | null {
  switch (output.kind) {
    case "bot":
      return output.replyTo ? `[bot → ${output.replyTo}] ${output.text}` : `[bot] ${output.text}`;
    case "notice":
      return output.text;
    case "error":
      return `! ${output.text}`;
    case "chat":
      return null;
  }
}

function describeChange(change: ModuleChange, root: string): { level: LogLevel; text: string } {
  const ms = `${Math.round(change.durationMs)} ms`;
  switch (change.action) {
    case "reloaded":
      return { level: "info", text: `reloaded ${change.module} ${change.version} in ${ms}` };
    case "loaded":
      return { level: "info", text: `loaded new module ${change.module} ${change.version} in ${ms}` };
    case "unloaded":
      return {
        level: "info",
        text: `unloaded ${change.module} (folder removed)${change.also.length ? `, and ${change.also.join(", ")} which depend on it` : ""}`,
      };
    case "failed": {
      const files = change.files.map((f) => relative(root, f)).filter(Boolean);
      return {
        level: "error",
        text: `${change.kept ? "reload" : "load"} of ${change.module} failed in ${ms}: ${change.error}${
          change.kept ? " (the previous version keeps serving)" : ""
        }${files.length > 0 && !/:\d+:\d+/.test(change.error) ? ` [changed: ${files.join(", ")}]` : ""}`,
      };
    }
  }
}

/**
 * Runs a host in this process until it is told to stop: loads the modules, offers the local chat
 * in the terminal, watches the modules folder when reloading, and shuts down in order on Ctrl-C
 * (stop taking events, let handlers finish, shut modules down, close the pool and the database).
 * A second Ctrl-C forces. Resolves with the exit code.
 */
export async function runHost(config: ResolvedConfig, options: RunHostOptions): Promise<number> {
  const started = performance.now();
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const supervised = options.supervised === true && typeof process.send === "function";
  const terminal = options.terminal ?? createTerminal();
  const logger = createLogger({
    level: config.logLevel,
    write: (line, record) => {
      if (!printedElsewhere(record)) terminal.print(line, "stderr");
    },
  });
  let host: Host | null = null;
  let watcher: ModuleWatcher | null = null;
  let typeChecker: TypeChecker | null = null;
  let stopping = false;
  let startup: Promise<unknown> = Promise.resolve();
  let finish: (code: number) => void = () => {};
  const finished = new Promise<number>((resolve) => (finish = resolve));

  const localChat = createLocalChat({
    emit: (type, data, source) => {
      if (!host) throw new Error("the bot is still starting");
      return host.emit(type, data, source);
    },
    channel: config.twitch.channel,
    commands: [
      {
        name: "modules",
        usage: "/modules",
        description: "list modules and their state",
        run: () => {
          const stats = host?.registry.stats();
          if (!stats) return;
          const rows = stats.modules.map(
            (m) =>
              `  ${m.name.padEnd(16)} ${(m.version ?? "-").padEnd(8)} ${m.state}${m.reason ? `: ${m.reason}` : ""}`,
          );
          terminal.print(rows.length > 0 ? rows.join("\n") : "  no modules");
        },
      },
      {
        name: "reload",
        usage: "/reload <module>",
        description: "reload a module now",
        run: async (name) => {
          if (!host || !name) throw new Error("/reload needs a module name; /modules lists them");
          const result = await host.registry.reload(name);
          const { level, text } = describeChange(reloadChange(name, result, []), config.root);
          logger.log(level, text, { module: name });
        },
      },
      { name: "quit", usage: "/quit", description: "stop the bot", run: () => requestStop("/quit") },
    ],
  });
  localChat.onOutput((output) => {
    const line = chatLine(output);
    if (line !== null) terminal.print(line, output.kind === "error" ? "stderr" : "stdout");
  });

  const stop = async (why: string): Promise<void> => {
    if (stopping) {
      // Under the supervisor a signal can arrive twice (the process group and the supervisor):
      // forcing is the supervisor's call, made by killing this process.
      if (supervised) return;
      terminal.print("forced shutdown", "stderr");
      exit(ExitCode.FORCED);
      return;
    }
    stopping = true;
    terminal.print(`shutting down (${why}); Ctrl-C again to force`, "stderr");
    // 1. Stop taking events: no more typed lines, no more reloads.
    terminal.stopInput();
    localChat.close();
    typeChecker?.close();
    await watcher?.close().catch(() => {});
    // 2-4. Let handlers finish (bounded), shut modules down, close the pool and the database.
    const limit = options.shutdownTimeoutMs ?? 20_000;
    const timer = setTimeout(() => {
      terminal.print(`shutdown took longer than ${limit / 1000} s; forcing`, "stderr");
      exit(ExitCode.FAILURE);
    }, limit);
    timer.unref();
    try {
      await startup.catch(() => {});
      await host?.close();
      terminal.print("stopped", "stderr");
      finish(ExitCode.OK);
    } catch (error) {
      terminal.print(`shutdown failed: ${(error as Error).message}`, "stderr");
      finish(ExitCode.FAILURE);
    } finally {
      clearTimeout(timer);
    }
  };
  // In dev the supervisor owns Ctrl-C, so both processes agree on what a second one means.
  const requestStop = (why: string) => {
    if (supervised && !stopping) process.send?.({ type: "interrupt" } satisfies HostMessage);
    else void stop(why);
  };

  if (supervised) {
    process.on("SIGINT", () => {});
    process.on("message", (message: SupervisorMessage) => {
      if (message?.type === "shutdown") void stop("Ctrl-C");
    });
    process.on("disconnect", () => void stop("the dev supervisor is gone"));
  } else {
    process.on("SIGINT", () => void stop("Ctrl-C"));
    process.on("SIGHUP", () => void stop("SIGHUP"));
  }
  process.on("SIGTERM", () => void stop("SIGTERM"));
  terminal.onInterrupt(() => requestStop("Ctrl-C"));
  terminal.onEnd(() => requestStop("Ctrl-D"));

  const starting = (async () => {
    host = await createHost({
      modulesDir: config.modulesDir,
      dataDir: config.dataDir,
      plugins: { twitch: localChat },
      modules: config.modules,
      commandPrefix: config.commandPrefix,
      logger,
      // In dev the module being edited is reloaded again and again: keep a warm worker for it.
      standby: options.mode === "dev" && options.reload,
    });
    return { running: host, result: await host.start() };
  })();
  startup = starting;
  let running: Host;
  let result: Awaited<ReturnType<Host["start"]>>;
  try {
    ({ running, result } = await starting);
  } catch (error) {
    terminal.print(`could not start: ${(error as Error).message}`, "stderr");
    terminal.stopInput();
    await (host as Host | null)?.close().catch(() => {});
    return ExitCode.FAILURE;
  }
  if (stopping) return finished;

  if (options.reload && config.moduleWatchDirs.length > 0) {
    if (options.mode === "dev") {
      typeChecker = createTypeChecker({
        jobs: running.jobs,
        root: config.root,
        report: ({ module, diagnostics, durationMs }) => {
          if (diagnostics.length === 0) {
            logger.debug(`types ok in ${Math.round(durationMs)} ms`, { module });
            return;
          }
          logger.warn(
            `${diagnostics.length} type error${diagnostics.length > 1 ? "s" : ""} (the new version runs anyway):`,
            { module },
          );
          for (const d of diagnostics) {
            terminal.print(
              `  ${d.file ?? "?"}:${d.line ?? 0}:${d.column ?? 0} TS${d.code} ${d.message}`,
              "stderr",
            );
          }
        },
        onError: (module, error) => logger.debug(`type check did not run: ${error.message}`, { module }),
      });
    }
    watcher = watchModules({
      registry: running.registry,
      modulesDir: config.modulesDir,
      dirs: config.moduleWatchDirs,
      debounceMs: config.reload.debounceMs,
      exclude: [config.dataDir],
      onChange: (change) => {
        if (stopping) return;
        const { level, text } = describeChange(change, config.root);
        logger.log(level, text, { module: change.module });
        if ((change.action === "reloaded" || change.action === "loaded") && typeChecker) {
          typeChecker.check(change.module, running.registry.info(change.module).dir);
        }
      },
    });
    await watcher.ready;
  }

  terminal.print(
    formatBanner({
      mode: options.mode,
      readyMs: performance.now() - started,
      modules: running.registry.stats().modules,
      failed: result.failed,
      twitch: twitchStatus(config),
      reload: options.reload,
      config,
    }),
  );
  terminal.onLine((line) => void localChat.input(line));
  if (supervised) process.send?.({ type: "ready" } satisfies HostMessage);
  return finished;
}
