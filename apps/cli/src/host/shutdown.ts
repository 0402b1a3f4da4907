import { ExitCode } from "../errors.ts";
import type { WatchPlan } from "../supervisor/watch-plan.ts";
import type { Terminal } from "../terminal/terminal.ts";

/** Messages between the dev supervisor and the host it runs. */
export type SupervisorMessage = {
  type: "shutdown";
  /** Why, as the host prints it: "Ctrl-C", "restart: starstreamer.config.ts changed". */
  why?: string;
};
/**
 * Messages from the host to the dev supervisor. "ready" carries what the supervisor watches (the
 * host's resolved config), so the supervisor need not load the config itself.
 */
export type HostMessage = { type: "ready"; watch?: WatchPlan } | { type: "interrupt"; why?: string };

/** What shutting down in order involves. */
export interface ShutdownOptions {
  terminal: Terminal;
  /** Run under the dev supervisor (it owns Ctrl-C). */
  supervised: boolean;
  /** How long a clean shutdown may take before it is forced. */
  timeoutMs: number;
  exit: (code: number) => never;
  /** Stops taking input (typed lines, file changes): step 1. */
  stopInput(): Promise<void>;
  /** Lets handlers finish, shuts modules down, closes the pool and the database: steps 2-4. */
  closeHost(): Promise<void>;
}

/** The one shutdown of a host process: first request shuts down in order, a second forces. */
export interface Shutdown {
  /** Resolves with the exit code once the shutdown is over. */
  readonly finished: Promise<number>;
  readonly stopping: boolean;
  /** Asks to stop: under the supervisor, the request goes to it, so both agree on a second Ctrl-C. */
  request(why: string): void;
  /** Stops now (the supervisor said so, or a signal). */
  stop(why: string): Promise<void>;
  /** Hooks process signals and the supervisor's IPC channel. */
  listen(): void;
}

/** Creates the shutdown controller of a host process. */
export function createShutdown(options: ShutdownOptions): Shutdown {
  const { terminal, supervised } = options;
  let stopping = false;
  let finish: (code: number) => void = () => {};
  const finished = new Promise<number>((resolve) => (finish = resolve));

  const stop = async (why: string): Promise<void> => {
    if (stopping) {
      // Under the supervisor a signal can arrive twice (the process group and the supervisor):
      // forcing is the supervisor's call, made by killing this process.
      if (supervised) return;
      terminal.print("forced shutdown", "stderr");
      options.exit(ExitCode.FORCED);
      return;
    }
    stopping = true;
    terminal.print(
      `shutting down (${why})${why.startsWith("restart") ? "" : "; Ctrl-C again to force"}`,
      "stderr",
    );
    await options.stopInput();
    const timer = setTimeout(() => {
      terminal.print(`shutdown took longer than ${options.timeoutMs / 1000} s; forcing`, "stderr");
      options.exit(ExitCode.FAILURE);
    }, options.timeoutMs);
    timer.unref();
    try {
      await options.closeHost();
      terminal.print("stopped", "stderr");
      finish(ExitCode.OK);
    } catch (error) {
      terminal.print(`shutdown failed: ${(error as Error).message}`, "stderr");
      finish(ExitCode.FAILURE);
    } finally {
      clearTimeout(timer);
    }
  };
  const request = (why: string) => {
    if (supervised && !stopping) process.send?.({ type: "interrupt", why } satisfies HostMessage);
    else void stop(why);
  };
  return {
    finished,
    get stopping() {
      return stopping;
    },
    request,
    stop,
    listen() {
      if (supervised) {
        process.on("SIGINT", () => {});
        process.on("message", (message: SupervisorMessage) => {
          if (message?.type === "shutdown") void stop(message.why ?? "the dev supervisor asked");
        });
        process.on("disconnect", () => void stop("the dev supervisor is gone"));
        // Gone before this listener existed (the supervisor died while this host booted).
        if (!process.connected) void stop("the dev supervisor is gone");
      } else {
        process.on("SIGINT", () => void stop("Ctrl-C"));
        process.on("SIGHUP", () => void stop("SIGHUP"));
      }
      process.on("SIGTERM", () => void stop("SIGTERM"));
      terminal.onInterrupt(() => request("Ctrl-C"));
      terminal.onEnd(() => request("Ctrl-D"));
    },
  };
}
