import { type ParseArgsConfig, parseArgs } from "node:util";
import type { UsageError } from "./errors.ts";

/**
 * `parseArgs` in strict mode with positionals, turning its errors into the CLI's usage errors:
 * an unknown option lists the accepted ones, an option without its value says so.
 */
export function parseStrict<const O extends NonNullable<ParseArgsConfig["options"]>>(
  args: string[],
  options: O,
  usage: (message: string) => UsageError,
  accepted: string,
): ReturnType<typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>> {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = (error as Error).message;
    const unknown = /Unknown option '([^']+)'/.exec(message);
    const missing = /Option '([^']+?)(?: <value>)?' argument missing/.exec(message);
    if (unknown) throw usage(`unknown option ${unknown[1]}; accepted: ${accepted}`);
    if (missing) throw usage(`option ${missing[1]} needs a value`);
    throw usage(message);
  }
}
