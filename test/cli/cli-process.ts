import { type ChildProcess, spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { moduleDir, repoRoot } from "../paths.ts";

/** The `starstreamer` bin, as npm links it. */
export const binPath = join(repoRoot, "packages", "starstreamer", "bin", "starstreamer.mjs");
/** CLI test fixture modules. */
export const cliFixture = (name: string) => join(repoRoot, "test", "cli", "fixtures", "modules", name);

/** The `starstreamer` command running as a child process, with its output collected. */
export interface CliProcess {
  readonly proc: ChildProcess;
  /** Everything written to stdout and stderr so far, interleaved as it arrived. */
  readonly output: string;
  /** The current end of the output, to wait for something that comes after it. */
  mark(): number;
  /** Waits for `pattern` in the output after `since`; rejects with the output on timeout or exit. */
  waitFor(pattern: RegExp | string, options?: { since?: number; timeoutMs?: number }): Promise<string>;
  /** Types a line into the CLI's terminal. */
  send(line: string): void;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Kills the whole process group (supervisor and host). */
  kill(): void;
}

const running = new Set<CliProcess>();
const projects = new Set<string>();

/** Starts `starstreamer <args>` in `cwd`, in its own process group so `kill` reaches its children. */
export function startCli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): CliProcess {
  const proc = spawn(process.execPath, [binPath, ...args], {
    cwd,
    detached: true,
    stdio: ["pipe", "pipe", "pipe"],
    env: {
      ...process.env,
      STARSTREAMER_SUPERVISED: "",
      TWITCH_CLIENT_ID: "",
      TWITCH_ACCESS_TOKEN: "",
      NO_COLOR: "1",
      ...env,
    },
  });
  let output = "";
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString("utf8");
    for (const listener of listeners) listener();
  };
  proc.stdout!.on("data", onData);
  proc.stderr!.on("data", onData);
  let hasExited = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on("exit", (code, signal) => {
      hasExited = true;
      for (const listener of listeners) listener();
      resolve({ code, signal });
    }),
  );
  const cli: CliProcess = {
    proc,
    get output() {
      return output;
    },
    mark: () => output.length,
    waitFor(pattern, { since = 0, timeoutMs = 15_000 } = {}) {
      const test = () => {
        const rest = output.slice(since);
        if (typeof pattern === "string") return rest.includes(pattern) ? pattern : null;
        return pattern.exec(rest)?.[0] ?? null;
      };
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = test();
          if (found !== null) {
            done();
            resolve(found);
          } else if (hasExited) {
            done();
            reject(new Error(`the CLI exited before printing ${String(pattern)}; output:\n${output}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(
            new Error(`timed out after ${timeoutMs} ms waiting for ${String(pattern)}; output:\n${output}`),
          );
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
    send(line) {
      proc.stdin!.write(`${line}\n`);
    },
    exited,
    kill() {
      try {
        process.kill(-proc.pid!, "SIGKILL");
      } catch {
        // Already gone.
      }
    },
  };
  running.add(cli);
  return cli;
}

/**
 * A temporary project: a modules folder with copies of the given module folders, and
 * node_modules links to the repository's packages, so a starstreamer.config.ts can import
 * "starstreamer" and a module's test can import "@starstreamer/testing" and "vitest".
 */
export function makeProject(modules: string[] = [moduleDir("greeter")]): string {
  const root = mkdtempSync(join(tmpdir(), "starstreamer-cli-"));
  projects.add(root);
  mkdirSync(join(root, "modules"));
  writeFileSync(
    join(root, "package.json"),
    `${JSON.stringify({ name: "my-bot", private: true, type: "module", dependencies: { starstreamer: "*" } }, null, 2)}\n`,
  );
  for (const dir of modules) {
    cpSync(dir, join(root, "modules", dir.split("/").at(-1)!), {
      recursive: true,
      filter: (src) => !/\.(test|spec)\.ts$/.test(src),
    });
  }
  // What `npm install starstreamer @starstreamer/testing vitest` would give a project.
  mkdirSync(join(root, "node_modules"));
  for (const name of ["starstreamer", "@starstreamer", "vitest"]) {
    symlinkSync(join(repoRoot, "node_modules", name), join(root, "node_modules", name), "dir");
  }
  return root;
}

/** Kills every CLI started by the test and removes every temporary project. For afterEach. */
export async function cleanupCli(): Promise<void> {
  for (const cli of running) cli.kill();
  await Promise.all(
    [...running].map((cli) => Promise.race([cli.exited, new Promise((r) => setTimeout(r, 2000))])),
  );
  running.clear();
  for (const root of projects) rmSync(root, { recursive: true, force: true });
  projects.clear();
}
