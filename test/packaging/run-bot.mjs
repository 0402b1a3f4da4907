// Runs the `starstreamer` command of an installed project the way a user does, and times it:
//   node run-bot.mjs <project> [--runs N] [--command "npx starstreamer"]
// Each run: `starstreamer --help` to its exit, then `starstreamer start --offline` from spawn to
// the greeter's reply to `!greet` typed in the terminal chat, then `/quit` and a clean exit 0.
// Plain JavaScript with no dependency: it runs in a project outside the repository.
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { runs: { type: "string", default: "1" }, command: { type: "string" } },
});
const project = positionals[0];
if (!project) {
  process.stderr.write("usage: node run-bot.mjs <project> [--runs N] [--command 'npx starstreamer']\n");
  process.exit(2);
}
const [file, ...prefix] = values.command
  ? values.command.split(" ")
  : [process.execPath, join(project, "node_modules", ".bin", "starstreamer")];
const TIMEOUT_MS = 60_000;

/** A free TCP port on 127.0.0.1 for the admin page, so runs never collide with another bot. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts the command; `waitFor(re)` resolves with the time the first line matching `re` arrived. */
function start(args, env) {
  const started = performance.now();
  const child = spawn(file, [...prefix, ...args], {
    cwd: project,
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env, NO_COLOR: "1", ...env },
  });
  let output = "";
  const waiters = new Set();
  const onData = (chunk) => {
    output += chunk.toString("utf8");
    for (const waiter of [...waiters]) waiter();
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  const exited = new Promise((resolve) =>
    child.once("exit", (code) => resolve({ code, at: performance.now() })),
  );
  return {
    child,
    started,
    exited,
    output: () => output,
    send: (line) => child.stdin.write(`${line}\n`),
    waitFor(pattern) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          child.kill("SIGKILL");
          reject(new Error(`no ${pattern} within ${TIMEOUT_MS} ms; output:\n${output}`));
        }, TIMEOUT_MS);
        const check = () => {
          if (!pattern.test(output)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(performance.now());
        };
        waiters.add(check);
        check();
      });
    },
  };
}

async function help() {
  const run = start(["--help"], {});
  const { code, at } = await run.exited;
  if (code !== 0 || !/start/.test(run.output())) throw new Error(`--help exited ${code}:\n${run.output()}`);
  return at - run.started;
}

async function greet() {
  const bot = start(["start", "--offline"], { STARSTREAMER_PORT: String(await freePort()) });
  const ready = await bot.waitFor(/ready in \d+ ms/);
  bot.send("!greet");
  const replied = await bot.waitFor(/\[bot\] Hello Viewer! 👋/);
  bot.send("/quit");
  const { code } = await bot.exited;
  if (code !== 0) throw new Error(`start --offline exited ${code} after /quit:\n${bot.output()}`);
  const banner = /ready in (\d+) ms/.exec(bot.output())?.[1];
  return {
    ready: ready - bot.started,
    reply: replied - bot.started,
    banner: Number(banner),
    output: bot.output(),
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const runs = Number(values.runs);
const helps = [];
const replies = [];
const readies = [];
for (let i = 0; i < runs; i++) {
  helps.push(await help());
  const result = await greet();
  if (i === 0) process.stdout.write(`${result.output.trimEnd()}\n\n`);
  replies.push(result.reply);
  readies.push(result.ready);
  process.stdout.write(
    `run ${i + 1}: --help ${helps[i].toFixed(0)} ms; start --offline: ready line ${result.ready.toFixed(0)} ms (banner ${result.banner} ms), first reply ${result.reply.toFixed(0)} ms\n`,
  );
}
process.stdout.write(
  `median of ${runs}: --help ${median(helps).toFixed(0)} ms, ready ${median(readies).toFixed(0)} ms, first reply to !greet ${median(replies).toFixed(0)} ms\n`,
);
