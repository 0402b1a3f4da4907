#!/usr/bin/env node
// The `starstreamer` command (the bin of @starstreamer/cli). Plain JavaScript, so it runs before
// anything else is decided:
// - installed from npm, it runs the compiled CLI bundled in dist/bundle/ with no TypeScript loader:
//   the main thread is plain JavaScript;
// - in the StarStreamer repository (tsconfig.build.json beside this file: it is never published,
//   and tsx is a dev dependency), it runs the CLI's TypeScript sources: tsx is registered on this
//   (main) thread and the "@starstreamer/source" export condition sends every workspace package to
//   its src/, so there is no build step. STARSTREAMER_LAUNCH=dist runs the build output instead.
// Either way module workers never use tsx (the runtime bundles modules with esbuild), the
// project's starstreamer.config.ts is bundled with esbuild before it is imported, and the
// type-check job is plain JavaScript.
import { existsSync, readFileSync } from "node:fs";
import module, { register } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The export condition under which every workspace package resolves to its TypeScript sources. */
const SOURCE_CONDITION = "@starstreamer/source";

const argv = process.argv.slice(2);
const fromSources =
  process.env.STARSTREAMER_LAUNCH !== "dist" && existsSync(new URL("./tsconfig.build.json", import.meta.url));

// Node 22+ keeps V8's compiled code for the CLI and its packages between launches (no-op on 20).
module.enableCompileCache?.();

let main;
/** What this launcher started before loading the CLI (main's `launched`). */
const launched = {};
if (fromSources) {
  // tsx caches what it compiled in <tmp>/tsx-<uid>: without it, this launch compiles every source.
  const command = argv[0];
  if (
    (command === "dev" || command === "start") &&
    process.env.STARSTREAMER_SUPERVISED !== "1" &&
    !existsSync(join(tmpdir(), `tsx-${process.getuid?.() ?? ""}`))
  ) {
    process.stderr.write(
      "starstreamer: first launch: compiling StarStreamer's sources (cached for later launches)\n",
    );
  }
  const { register: registerTsx } = await import("tsx/esm/api");
  registerTsx();
  // Every import on this thread asks for the workspace packages' sources.
  const hook = `export async function resolve(specifier, context, next) {
    const conditions = context.conditions.includes(${JSON.stringify(SOURCE_CONDITION)})
      ? context.conditions : [...context.conditions, ${JSON.stringify(SOURCE_CONDITION)}];
    return next(specifier, { ...context, conditions });
  }`;
  register(`data:text/javascript,${encodeURIComponent(hook)}`);
  ({ main } = await import("./src/main.ts"));
} else {
  // `dev`: the supervisor's first host starts now, before anything else loads, and boots while
  // this process loads the rest of the CLI. It finds the project folder itself, and leaves a bad
  // command line to this process (see supervisor/host-process.ts).
  const { EARLY_HOST_ENV, spawnHost, startsSupervisedDev } = await import(
    "./dist/supervisor/host-process.js"
  );
  if (startsSupervisedDev(argv) && process.env.STARSTREAMER_SUPERVISED !== "1") {
    launched.firstHost = spawnHost({
      hostArgs: [fileURLToPath(import.meta.url), ...argv],
      cwd: process.cwd(),
      env: { ...process.env, [EARLY_HOST_ENV]: "1" },
      launchedAt: performance.timeOrigin,
    });
  }
  // `--help` and `--version` answer without loading the SDK (dist/main-help.js imports nothing);
  // a command's `--help` without loading the bot (Twitch, the admin server, SQLite).
  const { askedWithoutCommand, MAIN_HELP } = await import("./dist/main-help.js");
  const asked = askedWithoutCommand(argv);
  let text = asked === "help" ? MAIN_HELP : null;
  if (asked === "version") {
    text = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")).version;
  } else if (asked === null) {
    const { parseCommandLine } = await import("./dist/args.js");
    let command = null;
    try {
      command = parseCommandLine(argv);
      if (command.name === "help") text = command.text;
    } catch {
      // Bad arguments: the full CLI below reports them the usual way.
    }
    // Not what the early host was started for after all: it exits quietly; make sure of it.
    if (launched.firstHost && !(command?.name === "dev" && command.flags.reload)) {
      launched.firstHost.proc.kill();
      launched.firstHost = null;
    }
  }
  if (text !== null) {
    process.stdout.write(`${text}\n`);
    process.exit(0);
  }
  // The compiled CLI and the packages its main thread imports, bundled into a few files at build
  // time (src/main-bundle/): Node resolves and links ~600 files less.
  ({ main } = await import("./dist/bundle/main.mjs"));
}

let settled = false;
// Every exit says why: if nothing is left to wait on (no module, no input, no server) before the
// command finished, Node would exit with code 13 and no message.
process.on("beforeExit", () => {
  if (settled) return;
  process.stderr.write(
    "starstreamer: stopping: nothing is left running (no input to read, no module, no admin page)\n",
  );
  process.exit(1);
});
const code = await main(argv, undefined, launched);
settled = true;
// Everything was shut down in order; exit even if a stray handle (a paused stdin) remains.
process.exit(code);
