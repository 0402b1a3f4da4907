/**
 * The SDK's names that load nothing else: its error class and codes, and the log levels. For
 * start-up paths that must not pay for zod (the `starstreamer` command's argument parsing and
 * its dev supervisor, which only start the bot).
 *
 * @packageDocumentation
 */
export { LOG_LEVELS, type LogLevel } from "./config/log-levels.ts";
export { SdkErrorCodes, StarStreamerError } from "./errors.ts";
