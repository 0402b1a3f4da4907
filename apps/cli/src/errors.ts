import { StarStreamerError } from "starstreamer/basics";

/** The codes the CLI raises; docs/errors.md gives cause and fix for each. */
export const CliErrorCodes = {
  /** An unknown command or flag, a missing or bad flag value. Exit code 2. */
  USAGE: "SS_CLI_USAGE",
  /** The config file cannot be found, loaded or validated. Exit code 2. */
  CONFIG: "SS_CLI_CONFIG",
  /** `new module` was given a bad name or a folder that exists. Exit code 2. */
  SCAFFOLD: "SS_CLI_SCAFFOLD",
  /** No folder from the current one up is a StarStreamer project. Exit code 2. */
  PROJECT_NOT_FOUND: "SS_CLI_PROJECT_NOT_FOUND",
} as const;

/** Exit codes of the `starstreamer` command. */
export const ExitCode = {
  OK: 0,
  /** Something failed at run time (the host could not start). */
  FAILURE: 1,
  /** Bad flags, bad config, bad arguments: the user has something to fix. */
  USAGE: 2,
  /** A second Ctrl-C cut the shutdown short. */
  FORCED: 130,
} as const;

/** An error the user fixes by changing the command line or the config: printed, exit code 2. */
export class UsageError extends StarStreamerError {
  constructor(code: string, message: string, data: Record<string, unknown> = {}) {
    super(code, message, { data });
    this.name = "UsageError";
  }
}
