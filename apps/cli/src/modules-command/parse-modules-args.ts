import { CliErrorCodes, UsageError } from "../errors.ts";
import { parseStrict } from "../parse-strict.ts";

/** What `starstreamer modules` can do. */
export const MODULES_ACTIONS = ["list", "reload", "enable", "disable", "load", "unload"] as const;
/** One of {@link MODULES_ACTIONS}. */
export type ModulesAction = (typeof MODULES_ACTIONS)[number];

/** A parsed `starstreamer modules ...` command line. */
export interface ModulesCommand {
  name: "modules";
  action: ModulesAction;
  /** The module to act on (every action but `list`). */
  moduleName?: string;
  flags: { port?: string; host?: string; config?: string; cascade: boolean };
}

/** `starstreamer modules --help`. */
export const MODULES_HELP = `starstreamer modules: see and drive the modules of the running bot

Talks to the bot's admin API (the same one the page at http://localhost:8888/modules uses), so a
bot must be running (npx starstreamer dev or start).

Usage:
  starstreamer modules list             every module with its state and figures
  starstreamer modules reload <name>    rebuild and swap in; a broken version keeps the old one serving
  starstreamer modules enable <name>    route events to it again (remembered across restarts)
  starstreamer modules disable <name>   stop routing events to it; its worker stays (remembered)
  starstreamer modules load <name>      start a discovered or unloaded module
  starstreamer modules unload <name>    shut it down and end its worker

Options:
  --port <port>     the bot's admin port (default: 8888, or admin.port in the config; env STARSTREAMER_PORT)
  --host <host>     the bot's admin address (default: 127.0.0.1; env STARSTREAMER_HOST)
  --config <file>   config file to read admin.host and admin.port from
  --cascade         disable/unload: also the modules that depend on this one
  -h, --help        show this help

Environment: STARSTREAMER_ADMIN_TOKEN, when the bot's admin server needs one (.env is read too).`;

const OPTIONS = {
  port: { type: "string" },
  host: { type: "string" },
  config: { type: "string" },
  cascade: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

function usage(message: string): UsageError {
  return new UsageError(
    CliErrorCodes.USAGE,
    `starstreamer modules: ${message} (see starstreamer modules --help)`,
  );
}

function text(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === "") throw usage(`--${flag} needs a non-empty value`);
  return value.trim();
}

/**
 * Parses the arguments after `modules`. Unknown actions and flags, a missing or extra name throw
 * a UsageError that says what is accepted.
 */
export function parseModulesArgs(args: string[]): ModulesCommand | { name: "help"; text: string } {
  const parsed = parseStrict(args, OPTIONS, usage, "--port, --host, --config, --cascade");
  const { values, positionals } = parsed;
  if (values.help) return { name: "help", text: MODULES_HELP };
  const [action, moduleName, ...extra] = positionals;
  if (action === undefined) throw usage(`say what to do: ${MODULES_ACTIONS.join(", ")}`);
  if (!(MODULES_ACTIONS as readonly string[]).includes(action)) {
    throw usage(`unknown action "${action}"; accepted: ${MODULES_ACTIONS.join(", ")}`);
  }
  const verb = action as ModulesAction;
  if (verb === "list" && moduleName !== undefined)
    throw usage(`list takes no module name, got "${moduleName}"`);
  if (verb !== "list" && moduleName === undefined)
    throw usage(`${verb} needs a module name, e.g. modules ${verb} greeter`);
  if (extra.length > 0) throw usage(`unexpected argument "${extra[0]}"`);
  if (values.cascade && verb !== "disable" && verb !== "unload")
    throw usage("--cascade goes with disable or unload");
  return {
    name: "modules",
    action: verb,
    moduleName,
    flags: {
      port: text(values.port, "port"),
      host: text(values.host, "host"),
      config: text(values.config, "config"),
      cascade: values.cascade ?? false,
    },
  };
}
