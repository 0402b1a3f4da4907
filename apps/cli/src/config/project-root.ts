import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { CliErrorCodes, UsageError } from "../errors.ts";
import { CONFIG_FILES } from "./config-files.ts";

/** Why a folder counts as a StarStreamer project, or null when it does not. */
function projectMark(dir: string): string | null {
  for (const name of CONFIG_FILES) if (existsSync(join(dir, name))) return name;
  const manifest = join(dir, "package.json");
  if (existsSync(manifest)) {
    try {
      const pkg = JSON.parse(readFileSync(manifest, "utf8")) as Record<string, unknown>;
      for (const field of ["dependencies", "devDependencies"]) {
        const deps = pkg[field];
        if (deps && typeof deps === "object" && ("starstreamer" in deps || "@starstreamer/cli" in deps)) {
          return "package.json";
        }
      }
    } catch {
      // An unreadable package.json does not make a project; keep looking.
    }
  }
  // Where starstreamer is installed (a workspace such as this repository, or node_modules linked in).
  if (existsSync(join(dir, "node_modules", "starstreamer", "package.json")))
    return "node_modules/starstreamer";
  return null;
}

/**
 * The project a command works on: the nearest folder, from `cwd` up, that has a StarStreamer
 * config file, a package.json depending on starstreamer, or starstreamer installed in its
 * node_modules. So `cd modules/dice && npx starstreamer dev` runs the whole bot, not an empty one
 * with a database inside the module folder.
 * @throws UsageError `SS_CLI_PROJECT_NOT_FOUND` saying where to run the command.
 */
export function findProjectRoot(cwd: string): { root: string; mark: string } {
  let dir = resolve(cwd);
  for (;;) {
    const mark = projectMark(dir);
    if (mark) return { root: dir, mark };
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new UsageError(
    CliErrorCodes.PROJECT_NOT_FOUND,
    `no StarStreamer project in ${resolve(cwd)} or any folder above it: run the command in your bot's folder ` +
      `(the one with ${CONFIG_FILES[0]} or a package.json that depends on starstreamer)`,
    { cwd: resolve(cwd) },
  );
}
