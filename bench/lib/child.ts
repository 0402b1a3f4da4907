import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { repoRoot } from "./bench-host.ts";

/** A child node process whose stdout lines can be awaited. */
export interface Child {
  readonly process: ChildProcessWithoutNullStreams;
  /** Resolves with the line and the time it arrived, for the first line (from now on) passing `test`. */
  line(test: (line: string) => boolean, timeoutMs?: number): Promise<{ line: string; at: number }>;
  /** Writes one line to the child's stdin. */
  send(line: string): void;
  /** Resolves when the process has exited. */
  readonly exited: Promise<number | null>;
  /** Everything written to stderr (for error messages). */
  stderr(): string;
}

/** The repository's export condition that sends StarStreamer's packages to their TypeScript sources. */
const SOURCE_CONDITION = "@starstreamer/source";

/**
 * `env` as a process of an installed StarStreamer gets it: `npm run bench` runs with
 * `--conditions=@starstreamer/source` in NODE_OPTIONS (so the bench itself imports the sources),
 * which a child would inherit and then resolve every package to TypeScript it cannot load.
 */
export function installedEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const options = (env.NODE_OPTIONS ?? "")
    .replace(new RegExp(`(--conditions[= ]|-C ?)${SOURCE_CONDITION.replace("/", "\\/")}`, "g"), "")
    .replace(/\s+/g, " ")
    .trim();
  const { NODE_OPTIONS: _dropped, ...rest } = env;
  return options ? { ...rest, NODE_OPTIONS: options } : rest;
}

/**
 * Spawns `node --import tsx <script>` from the repository root (the way `npx starstreamer` runs
 * TypeScript on Node 20), or any node arguments when `script` is null. Lines of stdout and
 * stderr both reach `line` waiters.
 */
export function spawnNode(
  script: string | null,
  args: string[],
  nodeArgs: string[] = [],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Child {
  const argv = script === null ? [...nodeArgs, ...args] : [...nodeArgs, "--import", "tsx", script, ...args];
  const child = spawn(process.execPath, argv, {
    cwd: options.cwd ?? repoRoot,
    env: options.env ?? process.env,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let errors = "";
  const waiters = new Set<(line: string, at: number) => void>();
  const dispatch = (line: string) => {
    const at = performance.now();
    for (const waiter of [...waiters]) waiter(line, at);
  };
  createInterface({ input: child.stdout }).on("line", dispatch);
  createInterface({ input: child.stderr }).on("line", (line) => {
    errors = `${errors}${line}\n`.slice(-4000);
    dispatch(line);
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    process: child,
    exited,
    stderr: () => errors,
    send(line) {
      child.stdin.write(`${line}\n`);
    },
    line(test, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const done = () => {
          clearTimeout(timer);
          waiters.delete(waiter);
        };
        const timer = setTimeout(() => {
          done();
          reject(
            new Error(
              `child ${script ?? argv.join(" ")}: no expected line within ${timeoutMs} ms. stderr: ${errors}`,
            ),
          );
        }, timeoutMs);
        const waiter = (line: string, at: number) => {
          if (!test(line)) return;
          done();
          resolve({ line, at });
        };
        waiters.add(waiter);
        void exited.then((code) => {
          if (!waiters.has(waiter)) return;
          done();
          reject(
            new Error(`child ${script ?? ""} exited (${code}) before the expected line. stderr: ${errors}`),
          );
        });
      });
    },
  };
}

/** Stops a child: SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
export async function stopChild(child: Child, graceMs = 10_000): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  child.process.kill("SIGTERM");
  const timer = setTimeout(() => child.process.kill("SIGKILL"), graceMs);
  await child.exited;
  clearTimeout(timer);
}
