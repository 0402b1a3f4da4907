import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { relative } from "node:path";
import { parseCommandLine, type RunFlags } from "./args.ts";
import { launcherPath } from "./config/framework-dirs.ts";
import type { LoadConfigOptions, ResolvedConfig } from "./config/load-config.ts";
import { findProjectRoot } from "./config/project-root.ts";
import { CliErrorCodes, ExitCode, UsageError } from "./errors.ts";
import { EARLY_HOST_ENV, type HostProcess, spawnHost } from "./supervisor/host-process.ts";

/** What the launcher already did for this command before loading it. */
export interface Launched {
  /**
   * The first host of `starstreamer dev`, started by the launcher before it parsed the command
   * line (see startsSupervisedDev); the supervisor adopts it.
   */
  firstHost?: HostProcess | null;
}

/** Where the CLI writes and which folder it works in. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** The config loader (zod, the SDK's schema, esbuild for a TypeScript config), imported when used. */
async function loadConfig(options: LoadConfigOptions): Promise<ResolvedConfig> {
  return (await import("./config/load-config.ts")).loadConfig(options);
}

const defaultIo = (): CliIo => ({
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  cwd: process.cwd(),
  env: process.env,
});

async function run(argv: string[], io: CliIo, launched: Launched): Promise<number> {
  const command = parseCommandLine(argv);
  switch (command.name) {
    case "help":
      io.out(command.text);
      return ExitCode.OK;
    case "version": {
      const { version } = createRequire(import.meta.url)("../package.json") as { version: string };
      io.out(version);
      return ExitCode.OK;
    }
    case "new-module": {
      const config = await loadConfig({
        cwd: projectRoot(io, command.flags),
        env: io.env,
        flags: command.flags,
      });
      const { createModule } = await import("./scaffold/new-module.ts");
      const files = await createModule(config.modulesDir, command.moduleName, config.root);
      const folder = `${relative(config.root, config.modulesDir) || "."}/${command.moduleName}`;
      io.out(`created ${folder}/:`);
      for (const file of files) io.out(`  ${relative(config.root, file)}`);
      const { formatWithProjectFormatter } = await import("./scaffold/format-files.ts");
      const formatter = await formatWithProjectFormatter(config.root, files);
      if (formatter) io.out(`formatted with the project's ${formatter} settings`);
      io.out(
        `\nNext: npx starstreamer dev, then type !${command.moduleName}; test it with npx vitest run ${folder}/`,
      );
      return ExitCode.OK;
    }
    case "modules":
      // Each command imports what it needs when it runs: the dev supervisor never loads the host,
      // twurple or Hono, and `modules`/`auth` start fast (see docs/packaging.md, start-up time).
      return (await import("./modules-command/run-modules-command.ts")).runModulesCommand(command, io);
    case "auth":
      return (await import("./auth/run-auth-command.ts")).runAuthCommand(command, io);
    case "dev":
    case "start":
      return runBot(command.name, command.flags, argv, io, launched);
  }
}

/**
 * The project folder: the nearest one up from the current folder (see findProjectRoot), said
 * when it is not the current folder; with --config, the current folder.
 */
function projectRoot(io: CliIo, flags: { config?: string }): string {
  if (flags.config !== undefined) return io.cwd;
  const { root, mark } = findProjectRoot(io.cwd);
  if (root !== io.cwd && io.env.STARSTREAMER_SUPERVISED !== "1") {
    io.err(`starstreamer: using the project in ${relative(io.cwd, root)} (it has ${mark})`);
  }
  return root;
}

async function runBot(
  mode: "dev" | "start",
  flags: RunFlags,
  argv: string[],
  io: CliIo,
  launched: Launched,
): Promise<number> {
  const supervised = io.env.STARSTREAMER_SUPERVISED === "1";
  const root = projectRoot(io, flags);
  if (mode === "dev" && flags.reload && !supervised) {
    // The first host starts before anything else loads (the launcher may have started it): the
    // supervisor never reads the config before it (the host reports what is wrong with it), and
    // each host re-reads .env, so it gets the environment before .env.
    const firstHost =
      launched.firstHost ??
      spawnHost({
        hostArgs: [launcherPath, ...argv],
        cwd: root,
        env: { ...io.env },
        // The first host's "ready in" counts from this process's start, which the user waited for.
        launchedAt: performance.timeOrigin,
      });
    const { runSupervisor } = await import("./supervisor/supervisor.ts");
    return runSupervisor({
      root,
      loadConfig: (env) => loadConfig({ cwd: root, env, flags }),
      flags,
      env: { ...io.env },
      hostArgs: [launcherPath, ...argv],
      firstHost,
    });
  }
  // The host's modules load while the config is read.
  const hostCode = import("./host/run-host.ts");
  hostCode.catch(() => {});
  const config = await loadConfig({ cwd: root, env: io.env, flags });
  if (!existsSync(config.modulesDir)) {
    io.err(
      `starstreamer: the modules folder ${relative(root, config.modulesDir) || "."} does not exist; the bot runs with no modules until it is created (npx starstreamer new module <name>)`,
    );
  }
  const { runHost } = await hostCode;
  return runHost(config, { mode, reload: flags.reload, supervised });
}

/**
 * Runs the `starstreamer` command with `argv` (without node and the script) and resolves with
 * the exit code: 0 after a clean run or shutdown, 2 for bad flags or config (the message says what
 * is accepted), 1 when the bot could not start. `launched`: what the launcher already started.
 * @example process.exitCode = await main(process.argv.slice(2));
 */
export async function main(
  argv: string[],
  io: CliIo = defaultIo(),
  launched: Launched = {},
): Promise<number> {
  // The launcher's early dev host leaves the command line to the launcher, which reports it.
  const early = io.env[EARLY_HOST_ENV] === "1";
  try {
    if (early) {
      const command = parseCommandLine(argv);
      if (command.name !== "dev" || !command.flags.reload) return ExitCode.USAGE;
    }
    return await run(argv, io, launched);
  } catch (error) {
    if (error instanceof UsageError) {
      const commandLine =
        error.code === CliErrorCodes.USAGE || error.code === CliErrorCodes.PROJECT_NOT_FOUND;
      if (!(early && commandLine)) io.err(`starstreamer: ${error.message}`);
      return ExitCode.USAGE;
    }
    io.err(`starstreamer: ${(error as Error).stack ?? String(error)}`);
    return ExitCode.FAILURE;
  }
}
