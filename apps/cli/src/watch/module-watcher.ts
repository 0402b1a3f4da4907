import { type Stats, statSync } from "node:fs";
import { relative, sep } from "node:path";
import type { ModuleChange } from "@starstreamer/runtime";
import { type FSWatcher, watch } from "chokidar";
import { isSourceFile, watchIgnore } from "./ignore.ts";

export type { ModuleChange };

/** How to watch the modules folder. */
export interface ModuleWatcherOptions {
  /** Reacts to a change of one module's files (the host's one load/reload/unload decision). */
  applyChange(module: string, files: string[]): Promise<ModuleChange>;
  modulesDir: string;
  /** Folders to watch, inside the modules folder (usually just the modules folder). */
  dirs: string[];
  /**
   * Quiet time that ends a burst: changes that arrive while the module is reloading wait this long
   * after the last of them, then reload it once more. (The first change reloads at once.)
   */
  debounceMs: number;
  /** Never watched (the data folder). */
  exclude?: string[];
  onChange(change: ModuleChange): void;
  /** Each file change seen, before it is acted on (logged at debug level). */
  onSeen?(module: string, path: string): void;
}

/** A running watcher of the modules folder. */
export interface ModuleWatcher {
  /** Resolves once the initial scan is done and changes are being seen. */
  readonly ready: Promise<void>;
  /** Resolves once no change is waiting and no reload is running (for tests and the bench). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * How long the first change of a module waits for the rest of the same save: an editor's write,
 * or its temp file renamed over the original, and a `git checkout` all arrive within a few ms.
 */
export const SETTLE_MS = 25;

/**
 * chokidar drops a second `change` of one path within 50 ms of the one it emitted (its own throttle:
 * not delayed, dropped). A save that lands inside that window (a formatter rewriting the file just
 * after the editor, or a fix saved right after a failed reload) would never reload. So each
 * changed file is looked at again once the window has passed, and a write it hid counts as a change.
 */
export const LOOK_AGAIN_MS = 60;

/** What tells two versions of a file apart without reading it. */
const signature = (stats: Stats | undefined) =>
  stats ? `${stats.ino}:${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}` : "";

const statOf = (path: string): Stats | undefined => {
  try {
    return statSync(path);
  } catch {
    return undefined; // gone: the unlink event says so
  }
};

interface Pending {
  timer: NodeJS.Timeout | null;
  running: boolean;
  /** Changes arrived while reloading: one more reload once they are quiet for `debounceMs`. */
  again: boolean;
  /** The quiet time the next reload waits for: SETTLE_MS for a first change, else `debounceMs`. */
  quietMs: number;
  files: Set<string>;
}

/**
 * Watches the modules folder and reacts per module: a change reloads only that module through the
 * registry (blue-green, with rollback), a new folder is discovered and loaded, a deleted one is
 * unloaded. The first change of a module reloads it at once (after {@link SETTLE_MS} of quiet, so
 * one save or one checkout is one reload); changes during that reload wait until they have been
 * quiet for `debounceMs`, then reload it exactly once more. A reload that fails while more changes
 * are waiting is not reported: the burst was not over, and the next reload says how it ends. A
 * changed file is looked at again after {@link LOOK_AGAIN_MS}, for a save chokidar did not report.
 */
export function watchModules(options: ModuleWatcherOptions): ModuleWatcher {
  const { modulesDir, debounceMs } = options;
  const pending = new Map<string, Pending>();
  let closed = false;
  let idleWaiters: Array<() => void> = [];
  /** Files to look at again after chokidar's throttle window ({@link LOOK_AGAIN_MS}). */
  const lookAgain = new Map<string, NodeJS.Timeout>();
  const settleIdle = () => {
    if (lookAgain.size > 0) return;
    for (const entry of pending.values()) if (entry.timer || entry.running) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  };

  const moduleOf = (path: string): string | null => {
    const rel = relative(modulesDir, path);
    if (rel === "" || rel.startsWith("..")) return null;
    return rel.split(sep)[0] ?? null;
  };

  const run = async (name: string, entry: Pending): Promise<void> => {
    entry.running = true;
    entry.quietMs = SETTLE_MS;
    const files = [...entry.files];
    entry.files.clear();
    try {
      const change = await options.applyChange(name, files);
      const superseded = change.action === "failed" && entry.again;
      if (change.action !== "none" && !closed && !superseded) options.onChange(change);
    } catch (error) {
      if (!closed && !entry.again) {
        options.onChange({
          module: name,
          action: "failed",
          error: (error as Error).message,
          durationMs: 0,
          kept: true,
          files,
        });
      }
    } finally {
      entry.running = false;
      if (entry.again && !closed) {
        entry.again = false;
        entry.quietMs = debounceMs;
        arm(name, entry);
      }
      settleIdle();
    }
  };

  /** (Re)starts the quiet timer after which the module reloads. */
  const arm = (name: string, entry: Pending) => {
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = setTimeout(() => {
      entry.timer = null;
      void run(name, entry);
    }, entry.quietMs);
  };

  const schedule = (path: string) => {
    if (closed) return;
    const name = moduleOf(path);
    if (!name) return;
    let entry = pending.get(name);
    if (!entry) {
      entry = { timer: null, running: false, again: false, quietMs: SETTLE_MS, files: new Set() };
      pending.set(name, entry);
    }
    entry.files.add(path);
    options.onSeen?.(name, path);
    if (entry.running) {
      entry.again = true;
      return;
    }
    arm(name, entry);
  };

  const watcher: FSWatcher = watch(options.dirs, {
    ignoreInitial: true,
    ignored: watchIgnore({ roots: options.dirs, modulesDir, exclude: options.exclude }),
  });
  /** Stats the file again after the throttle window; a version chokidar did not report is a change. */
  const recheck = (path: string, seenAs: string) => {
    clearTimeout(lookAgain.get(path));
    lookAgain.set(
      path,
      setTimeout(() => {
        lookAgain.delete(path);
        if (closed) return;
        const now = statOf(path);
        if (now && signature(now) !== seenAs) {
          schedule(path);
          recheck(path, signature(now));
        }
        settleIdle();
      }, LOOK_AGAIN_MS),
    );
  };

  watcher.on("all", (event, path, stats) => {
    if (event === "addDir" || event === "unlinkDir" || isSourceFile(path)) schedule(path);
    if ((event === "change" || event === "add") && isSourceFile(path)) {
      recheck(path, signature(stats ?? statOf(path)));
    }
  });
  watcher.on("error", () => {
    // A folder vanishing mid-scan is reported here; the unlink events that follow are what count.
  });
  const ready = new Promise<void>((resolve) => watcher.once("ready", () => resolve()));

  return {
    ready,
    idle() {
      const promise = new Promise<void>((resolve) => idleWaiters.push(resolve));
      settleIdle();
      return promise;
    },
    async close() {
      closed = true;
      for (const entry of pending.values()) if (entry.timer) clearTimeout(entry.timer);
      for (const timer of lookAgain.values()) clearTimeout(timer);
      lookAgain.clear();
      await watcher.close();
    },
  };
}
