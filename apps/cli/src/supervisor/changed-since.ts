import { access, readdir, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { inside } from "../watch/ignore.ts";

/** A path whose content or entries changed. */
export interface ChangedPath {
  path: string;
  directory: boolean;
}

/**
 * Whether a file time (ms since the epoch) may be at or after `since`. Linux stamps files from
 * a clock that runs up to one tick (4-10 ms) behind `Date.now()`; file systems that keep whole
 * seconds (ext3, HFS+) or two (FAT) round down, so a whole-second stamp gets two seconds of slack.
 */
export function stampedSince(stamp: number, since: number): boolean {
  const slack = stamp % 1000 === 0 ? 2000 : 20;
  return stamp >= since - slack;
}

/**
 * The paths, among `paths`, written, created, renamed or (for a folder) given or losing an entry
 * at or after `since`: the later of each one's mtime and ctime (a rename or `cp -p` keeps the
 * mtime and moves the ctime). A path that is gone is left out (see {@link gonePaths}). A time
 * more than two seconds ahead of the clock cannot be dated (a file server whose clock is ahead):
 * left out too, rather than restart the bot on every launch.
 */
export async function changedSince(paths: Iterable<string>, since: number): Promise<ChangedPath[]> {
  const latest = Date.now() + 2000;
  const found = await Promise.all(
    [...new Set(paths)].map(async (path): Promise<ChangedPath | null> => {
      try {
        const stats = await stat(path);
        const stamp = Math.max(stats.mtimeMs, stats.ctimeMs);
        return stampedSince(stamp, since) && stamp <= latest
          ? { path, directory: stats.isDirectory() }
          : null;
      } catch {
        return null;
      }
    }),
  );
  return found.filter((entry) => entry !== null);
}

/** The paths, among `paths`, that do not exist (any more). */
export async function gonePaths(paths: Iterable<string>): Promise<string[]> {
  const gone = await Promise.all(
    [...new Set(paths)].map((path) =>
      access(path).then(
        () => null,
        () => path,
      ),
    ),
  );
  return gone.filter((path) => path !== null);
}

/** What the supervisor's watchers saw when they became ready, and what to check against it. */
export interface CatchUpOptions {
  /** The module-and-framework watcher's view: folder -> entry names (chokidar's getWatched()). */
  watched: Record<string, string[]>;
  /** The watched folders (entries of folders outside them, such as their parent, are left out). */
  roots: string[];
  /** The folders where a folder that lost an entry counts (the framework's). */
  frameworkDirs: string[];
  /** Single files checked as well (the config and .env names in the project folder). */
  files: string[];
  /** Files the host read, which count as changed when they are gone (its config and .env). */
  used: string[];
  /** The watchers' ignore rule, for entries the watcher did not know yet. */
  ignored(path: string, stats?: { isFile(): boolean }): boolean;
  since: number;
}

/**
 * What changed since `since` among what the watchers cover, found by file times when the
 * watchers are ready (a change before that had no one to see it): files written, created or
 * renamed, used files now gone, and, for a framework folder whose entries changed and no file in
 * it explains why (a source the host may have loaded was deleted), the folder.
 */
export async function catchUp(options: CatchUpOptions): Promise<{ files: string[]; folders: string[] }> {
  const covered = [...options.files];
  for (const [dir, names] of Object.entries(options.watched)) {
    if (!options.roots.some((r) => inside(dir, r))) continue;
    covered.push(dir, ...names.map((name) => join(dir, name)));
  }
  const hits = await changedSince(covered, options.since);
  const files = hits.filter((hit) => !hit.directory).map((hit) => hit.path);
  const folders: string[] = [];
  const known = new Set(covered);
  for (const { path: dir, directory } of hits) {
    if (!directory || !options.frameworkDirs.some((d) => inside(dir, d))) continue;
    // Entries created since the watcher listed the folder are files to name, not the folder.
    const fresh = (await readdir(dir).catch(() => [] as string[]))
      .map((name) => join(dir, name))
      .filter((path) => !known.has(path) && !options.ignored(path));
    const freshHits = (await changedSince(fresh, options.since)).filter((hit) => !hit.directory);
    files.push(...freshHits.map((hit) => hit.path));
    if (!files.some((file) => dirname(file) === dir)) folders.push(dir);
  }
  files.push(...(await gonePaths(options.used)));
  return { files, folders };
}
