/** The log levels the host knows, quietest last. */
export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
/** A log level, lowest first: the one definition the config, the logger and the worker protocol use. */
export type LogLevel = (typeof LOG_LEVELS)[number];
