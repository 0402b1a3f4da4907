import { access, stat } from "node:fs/promises";

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
