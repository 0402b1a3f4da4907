import { CliErrorCodes, UsageError } from "../errors.ts";
import { parseStrict } from "../parse-strict.ts";

/** A parsed `starstreamer auth ...` command line. */
export interface AuthCommand {
  name: "auth";
  /** Which login: the broadcaster (default) or the bot account that chats. */
  account: "broadcaster" | "bot";
  /** Only show the saved logins. */
  status: boolean;
  /** Forget the saved login of `account` instead of logging in. */
  logout: boolean;
  flags: { config?: string };
}

/** `starstreamer auth --help`. */
export const AUTH_HELP = `starstreamer auth: log in to Twitch (Device Code flow) and save the login

Shows a code and the address where you enter it (https://www.twitch.tv/activate), waits until you
approve, then saves the login in the bot's database (data/starstreamer.db); the bot refreshes it by
itself from then on. Log in twice: once as the broadcaster (EventSub, Helix), and optionally once
as a bot account that chats (--bot; use a private browser window to sign in as the bot). Without a
bot login the broadcaster's account chats.

Usage:
  starstreamer auth              log in as the broadcaster
  starstreamer auth --bot        log in as the bot account
  starstreamer auth --status     show the saved logins (never the tokens)
  starstreamer auth --logout [--bot]   forget a saved login

Options:
  --config <file>   config file to read dataDir from
  -h, --help        show this help

Environment: TWITCH_CLIENT_ID (your application's client id; register one at
https://dev.twitch.tv/console with client type "Public"), STARSTREAMER_DATA_DIR; TWITCH_MOCK_PORT
logs in against a fake or mock Twitch on 127.0.0.1 instead.`;

const OPTIONS = {
  bot: { type: "boolean" },
  status: { type: "boolean" },
  logout: { type: "boolean" },
  config: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

function usage(message: string): UsageError {
  return new UsageError(CliErrorCodes.USAGE, `starstreamer auth: ${message} (see starstreamer auth --help)`);
}

/** Parses the arguments after `auth`; unknown flags and stray arguments throw a UsageError. */
export function parseAuthArgs(args: string[]): AuthCommand | { name: "help"; text: string } {
  const parsed = parseStrict(args, OPTIONS, usage, "--bot, --status, --logout, --config");
  const { values, positionals } = parsed;
  if (values.help) return { name: "help", text: AUTH_HELP };
  if (positionals.length > 0) throw usage(`unexpected argument "${positionals[0]}"`);
  if (values.status && values.logout) throw usage("--status and --logout do not go together");
  const config = values.config?.trim();
  if (values.config !== undefined && !config) throw usage("--config needs a non-empty value");
  return {
    name: "auth",
    account: values.bot ? "bot" : "broadcaster",
    status: values.status ?? false,
    logout: values.logout ?? false,
    flags: config ? { config } : {},
  };
}
