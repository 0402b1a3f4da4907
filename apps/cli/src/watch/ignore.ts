import { basename, relative, sep } from "node:path";

/** Build output folder names, never watched (except as a module's own folder name). */
const BUILD_DIRS = new Set(["dist", "build", "out", "coverage"]);
/** Files whose change counts: sources and JSON. */
const SOURCE_FILE = /\.(ts|mts|js|mjs|json)$/;
/** Tests: editing them never reloads a module or restarts the bot. */
const TEST_FILE = /(\.(test|spec)\.[cm]?[jt]s$)|(^test_)/;
/** Editor swap, backup and temp files (vim's 4913 probe, emacs locks, ~ backups). */
const EDITOR_FILE = /(\.sw[a-p]x?$)|(~$)|(^\.#)|(^#.*#$)|(^4913$)|(\.(tmp|bak|orig)$)|(\.tmp\.\d+$)/;
/** The bundled copy of a config file that exists while it is imported (config/bundle-config.ts). */
const CONFIG_BUNDLE = /\.timestamp-\d+-[0-9a-f]+\.mjs$/;

/** What the watchers skip, besides the fixed rules. */
export interface IgnoreOptions {
  /** The watched folders; rules apply to the part of a path below them. */
  roots: readonly string[];
  /** The modules folder: its direct sub-folders are modules, whatever their name. */
  modulesDir?: string;
  /** Absolute folders never watched (the data folder). */
  exclude?: readonly string[];
}

/** True when `path` is `dir` or lies below it (both absolute, as the watchers give them). */
export const inside = (path: string, dir: string) => path === dir || path.startsWith(`${dir}${sep}`);

/**
 * True for a path the watchers skip: anything under node_modules, a dot folder or build output
 * (below the watched root), dotfiles, tests, editor files, and the excluded folders.
 */
export function isIgnoredPath(path: string, options: IgnoreOptions): boolean {
  if (options.exclude?.some((dir) => inside(path, dir))) return true;
  const root = options.roots.find((r) => inside(path, r));
  const rel = root === undefined ? basename(path) : relative(root, path);
  if (rel === "") return false;
  const segments = rel.split(sep);
  const name = segments.at(-1)!;
  const moduleFolderDepth = root !== undefined && root === options.modulesDir ? 0 : -1;
  const skipped = segments.some(
    (s, i) => s === "node_modules" || s.startsWith(".") || (BUILD_DIRS.has(s) && i !== moduleFolderDepth),
  );
  return skipped || TEST_FILE.test(name) || EDITOR_FILE.test(name) || CONFIG_BUNDLE.test(name);
}

/** True for a file whose change counts (`.ts`, `.mts`, `.js`, `.mjs`, `.json`). */
export function isSourceFile(path: string): boolean {
  return SOURCE_FILE.test(path);
}

/** The chokidar `ignored` option: ignored paths, and files that are not sources. */
export function watchIgnore(
  options: IgnoreOptions,
): (path: string, stats?: { isFile(): boolean }) => boolean {
  return (path, stats) => isIgnoredPath(path, options) || (stats?.isFile() === true && !isSourceFile(path));
}
