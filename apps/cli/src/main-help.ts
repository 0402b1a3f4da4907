// Imports nothing: the launcher answers `starstreamer --help` and `--version` from this file alone,
// without loading the SDK (see launch.mjs).

/** `starstreamer --help` (and `starstreamer` alone). */
export const MAIN_HELP = `starstreamer: run and develop a StarStreamer Twitch bot

Usage:
  starstreamer dev                 run the bot with hot reload (no build step, no credentials needed)
  starstreamer start               run the bot for going live (no file watching)
  starstreamer new module <name>   create modules/<name>/ with an action and a test
  starstreamer modules list        the running bot's modules (also reload|enable|disable|load|unload <name>)
  starstreamer auth [--bot]        log in to Twitch (device code) and save the login

Run "starstreamer <command> --help" for a command's options.
  -h, --help      show this help
  -v, --version   print the version`;

/**
 * What the command line asks for when its first argument is no command: the main help (nothing,
 * `help`, `--help`, `-h`), the version (`--version`, `-v`), or null for a command.
 */
export function askedWithoutCommand(argv: readonly string[]): "help" | "version" | null {
  const [first] = argv;
  if (first === undefined || first === "help" || first === "--help" || first === "-h") return "help";
  if (first === "--version" || first === "-v") return "version";
  return null;
}
