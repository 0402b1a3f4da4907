import { relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { StarStreamerError } from "starstreamer";
import { createProject } from "./create-project.ts";
import { CreateErrorCodes } from "./errors.ts";

/** The folder used when none is given and there is no terminal to ask. */
export const DEFAULT_FOLDER = "my-bot";

const USAGE = `Usage: npm create starstreamer@latest [folder]

Writes a new StarStreamer bot project into [folder] (asked for in a terminal; "${DEFAULT_FOLDER}"
otherwise). The folder must be new or empty.`;

/** Where `create-starstreamer` talks, and whether it may ask (only when a person is there). */
export interface CreateIo {
  out(text: string): void;
  err(text: string): void;
  cwd: string;
  /** True when stdin and stdout are a terminal; without one nothing is asked. */
  interactive: boolean;
  /** Asks one question, resolves with the answer (only called when `interactive`). */
  ask(question: string): Promise<string>;
}

/**
 * Runs `create-starstreamer` with `argv` (without node and the script): writes the project and
 * says what to run next.
 * @returns the exit code: 0 written, 1 refused (a non-empty folder, a bad name), 2 bad usage.
 */
export async function runCreate(argv: string[], io: CreateIo): Promise<number> {
  let folder: string | undefined;
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { help: { type: "boolean", short: "h" } },
    });
    if (values.help) {
      io.out(USAGE);
      return 0;
    }
    if (positionals.length > 1) {
      throw new StarStreamerError(
        CreateErrorCodes.USAGE,
        `one folder, please (got ${positionals.join(", ")})`,
      );
    }
    folder = positionals[0];
  } catch (error) {
    io.err(`create-starstreamer: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (folder === undefined) {
    folder = io.interactive
      ? (await io.ask(`Project folder (${DEFAULT_FOLDER}): `)).trim() || DEFAULT_FOLDER
      : DEFAULT_FOLDER;
  }
  try {
    const dir = resolve(io.cwd, folder);
    const files = await createProject({ dir });
    const shown = relative(io.cwd, dir) || ".";
    io.out(`Created ${shown}/ with ${files.length} files.\n\nNext:\n  cd ${shown}`);
    io.out("  npm install && npx starstreamer dev   # chat with the bot in this terminal: type !greet");
    io.out("  npm test                              # type-check and every module's test");
    return 0;
  } catch (error) {
    if (error instanceof StarStreamerError) {
      io.err(`create-starstreamer: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
