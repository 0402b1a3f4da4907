import { type ParseArgsConfig, parseArgs } from "node:util";
import { LOG_LEVELS } from "starstreamer/basics";
import { type AuthCommand, parseAuthArgs } from "./auth/parse-auth-args.ts";
import { CliErrorCodes, UsageError } from "./errors.ts";
import { askedWithoutCommand, MAIN_HELP } from "./main-help.ts";
import { type ModulesCommand, parseModulesArgs } from "./modules-command/parse-modules-args.ts";

/** The flags `dev` and `start` share (everything but the default of `--reload`). */
export interface RunFlags {
  reload: boolean;
  watchDirs?: string[];
  modulesDir?: string;
  port?: string;
  host?: string;
  config?: string;
  offline: boolean;
  logLevel?: string;
}

/** A parsed command line. */
export type Command =
  | { name: "dev" | "start"; flags: RunFlags }
  | { name: "new-module"; moduleName: string; flags: { modulesDir?: string; config?: string } }
  | { name: "help"; text: string }
  | { name: "version" }
  | ModulesCommand
  | AuthCommand;

type Options = NonNullable<ParseArgsConfig["options"]>;

const RUN_OPTIONS = {
  reload: { type: "boolean" },
  "watch-dirs": { type: "string" },
  "modules-dir": { type: "string" },
  port: { type: "string" },
  host: { type: "string" },
  config: { type: "string" },
  offline: { type: "boolean" },
  "log-level": { type: "string" },
  help: { type: "boolean", short: "h" },
} satisfies Options;

const NEW_OPTIONS = {
  "modules-dir": { type: "string" },
  config: { type: "string" },
  help: { type: "boolean", short: "h" },
} satisfies Options;

const RUN_FLAGS_HELP = `Options:
  --reload / --no-reload   hot reload: watch files, reload changed modules (dev: on, start: off)
  --watch-dirs <a,b,...>   folders to watch, comma-separated; changes inside the modules folder
                           reload that module, changes elsewhere restart the bot (dev only)
                           (default: the modules folder and the framework's own sources)
  --modules-dir <dir>      the folder of module folders (default: modules)
  --port <port>            admin server port (default: 8888; env STARSTREAMER_PORT)
  --host <host>            admin server address (default: 127.0.0.1; env STARSTREAMER_HOST)
  --config <file>          config file (default: starstreamer.config.ts, .mts, .js, .mjs or .json)
  --offline                do not connect to Twitch; chat locally in this terminal
  --log-level <level>      ${LOG_LEVELS.join(", ")} (default: info)
  -h, --help               show this help

Environment: .env is loaded if present. STARSTREAMER_DATA_DIR (default ./data), STARSTREAMER_PORT,
STARSTREAMER_HOST, STARSTREAMER_LOG_LEVEL; Twitch: TWITCH_CLIENT_ID, TWITCH_ACCESS_TOKEN, ...`;

/** Help texts by command. */
export const HELP = {
  main: MAIN_HELP,
  dev: `starstreamer dev: run the bot with hot reload

A change under the modules folder reloads that module only; a change to the framework's sources
restarts the bot. Without Twitch credentials (or with --offline) a local chat runs in this terminal:
type !greet, or /help for the commands.

Usage: starstreamer dev [options]

${RUN_FLAGS_HELP}`,
  start: `starstreamer start: run the bot (no file watching unless --reload)

Usage: starstreamer start [options]

${RUN_FLAGS_HELP}`,
  new: `starstreamer new module <name>: create a module

Creates <modules-dir>/<name>/ with module.ts, actions/commands.ts (answers !<name>) and a test
using @starstreamer/testing. A name is lower-case letters, digits, "-" and "_", starting with a
letter, at most 64 characters.

Usage: starstreamer new module <name> [options]

Options:
  --modules-dir <dir>   the folder of module folders (default: modules, or modulesDir in the config)
  --config <file>       config file to read modulesDir from
  -h, --help            show this help`,
} as const;

function flagList(options: Options): string {
  return Object.entries(options)
    .flatMap(([name, o]) => {
      const flag = `--${name}${o.type === "string" ? " <value>" : ""}`;
      return name === "reload" ? [flag, "--no-reload"] : [flag];
    })
    .join(", ");
}

function parse<T extends Options>(command: string, args: string[], options: T) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: true, allowNegative: true });
  } catch (error) {
    const e = error as Error & { code?: string };
    let message = e.message;
    const unknown = /Unknown option '([^']+)'/.exec(e.message);
    const missing = /Option '([^']+?)(?: <value>)?' argument missing/.exec(e.message);
    const positional = /Unexpected argument '([^']+)'/.exec(e.message);
    if (unknown) message = `unknown option ${unknown[1]}`;
    else if (missing) message = `option ${missing[1]} needs a value`;
    else if (positional) message = `unexpected argument "${positional[1]}"`;
    else if (/--no-/.test(e.message) || e.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
      message = e.message.replace(/\. To specify.*$/s, "");
    }
    throw new UsageError(
      CliErrorCodes.USAGE,
      `starstreamer ${command}: ${message}; accepted: ${flagList(options)} (see starstreamer ${command} --help)`,
    );
  }
}

function text(values: Record<string, unknown>, name: string): string | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value.trim() === "") {
    throw new UsageError(CliErrorCodes.USAGE, `--${name} needs a non-empty value`);
  }
  return value.trim();
}

/**
 * Parses `argv` (without node and the script) into a command. Unknown commands and flags, missing
 * values and stray arguments throw a UsageError that says what is accepted.
 */
export function parseCommandLine(argv: string[]): Command {
  const [first, ...rest] = argv;
  const asked = askedWithoutCommand(argv);
  if (asked === "help") return { name: "help", text: HELP.main };
  if (asked === "version") return { name: "version" };
  if (first === "dev" || first === "start") {
    const { values, positionals } = parse(first, rest, RUN_OPTIONS);
    if (values.help) return { name: "help", text: HELP[first] };
    if (positionals.length > 0) {
      throw new UsageError(
        CliErrorCodes.USAGE,
        `starstreamer ${first}: unexpected argument "${positionals[0]}"; it takes only options (see starstreamer ${first} --help)`,
      );
    }
    let watchDirs: string[] | undefined;
    const rawWatch = text(values, "watch-dirs");
    if (rawWatch !== undefined) {
      watchDirs = rawWatch.split(",").map((d) => d.trim());
      if (watchDirs.some((d) => d === "")) {
        throw new UsageError(
          CliErrorCodes.USAGE,
          `--watch-dirs: expected comma-separated folders such as "modules,packages", got "${rawWatch}"`,
        );
      }
    }
    return {
      name: first,
      flags: {
        reload: values.reload ?? first === "dev",
        watchDirs,
        modulesDir: text(values, "modules-dir"),
        port: text(values, "port"),
        host: text(values, "host"),
        config: text(values, "config"),
        offline: values.offline ?? false,
        logLevel: text(values, "log-level"),
      },
    };
  }
  if (first === "new") {
    const { values, positionals } = parse("new", rest, NEW_OPTIONS);
    if (values.help) return { name: "help", text: HELP.new };
    const [kind, name, ...extra] = positionals;
    if (kind !== "module") {
      throw new UsageError(
        CliErrorCodes.USAGE,
        kind === undefined
          ? "starstreamer new: say what to create: starstreamer new module <name>"
          : `starstreamer new: cannot create "${kind}"; accepted: module (starstreamer new module <name>)`,
      );
    }
    if (name === undefined) {
      throw new UsageError(
        CliErrorCodes.USAGE,
        "starstreamer new module: give the module a name, e.g. shoutout",
      );
    }
    if (extra.length > 0) {
      throw new UsageError(CliErrorCodes.USAGE, `starstreamer new module: unexpected argument "${extra[0]}"`);
    }
    return {
      name: "new-module",
      moduleName: name,
      flags: { modulesDir: text(values, "modules-dir"), config: text(values, "config") },
    };
  }
  if (first === "modules") return parseModulesArgs(rest);
  if (first === "auth") return parseAuthArgs(rest);
  throw new UsageError(
    CliErrorCodes.USAGE,
    `unknown command "${first}"; accepted: dev, start, new module <name>, modules, auth (see starstreamer --help)`,
  );
}
