import { existsSync, readdirSync, statSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { StarStreamerError } from "starstreamer";
import { CreateErrorCodes } from "./errors.ts";
import { projectFiles } from "./project-files.ts";

/** What a folder may already hold and still count as empty (a fresh `git init`). */
const IGNORED_ENTRIES = new Set([".git"]);

/** An npm package name without a scope: what a project's folder name becomes. */
const PACKAGE_NAME = /^[a-z0-9][a-z0-9._~-]{0,213}$/;

/** The package name for a project folder: its name, lower-cased, other characters as "-". */
export function projectNameFor(dir: string): string {
  return basename(resolve(dir))
    .toLowerCase()
    .replace(/[^a-z0-9._~-]+/g, "-")
    .replace(/^[-._~]+/, "");
}

/** Options of {@link createProject}. */
export interface CreateProjectOptions {
  /** The folder to write (created when missing; must be empty when it exists). */
  dir: string;
  /** The package name; by default the folder's name (see projectNameFor). */
  name?: string;
  /** The StarStreamer version to depend on; by default this package's own. */
  version?: string;
}

/**
 * Writes a new bot project into `dir`: package.json, modules/greeter with its test,
 * starstreamer.config.ts, .env.example, tsconfig.json, vitest.config.ts, README.md, .gitignore.
 * @returns the files written, relative to `dir`
 * @throws StarStreamerError SS_CREATE_FOLDER_NOT_EMPTY when `dir` holds anything (but `.git`),
 *   SS_CREATE_BAD_NAME when the name cannot be a package name; nothing is written then.
 * @example await createProject({ dir: "my-bot" });
 */
export async function createProject(options: CreateProjectOptions): Promise<string[]> {
  const dir = resolve(options.dir);
  const name = options.name ?? projectNameFor(dir);
  if (!PACKAGE_NAME.test(name)) {
    throw new StarStreamerError(
      CreateErrorCodes.BAD_NAME,
      `"${name}" cannot be a package name: use lower-case letters, digits, "-", "_" and ".", starting with a letter or digit`,
      { data: { name } },
    );
  }
  if (existsSync(dir)) {
    const taken =
      !statSync(dir).isDirectory() || readdirSync(dir).some((entry) => !IGNORED_ENTRIES.has(entry));
    if (taken) {
      throw new StarStreamerError(
        CreateErrorCodes.FOLDER_NOT_EMPTY,
        `${dir} is not empty: choose a new folder name (nothing was written)`,
        { data: { dir } },
      );
    }
  }
  const files = await projectFiles(name, options.version);
  for (const [path, text] of files) {
    const target = join(dir, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, text);
  }
  return [...files.keys()];
}
