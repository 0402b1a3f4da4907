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
  /** Quiet time after the last change of a module before it reloads. */
  debounceMs: number;
  /** Never watched (the data folder). */
  exclude?: string[];
  onChange(change: ModuleChange): void;
}

/** A running watcher of the modules folder. */
export interface ModuleWatcher {
  /** Resolves once the initial scan is done and changes are being seen. */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

interface Pending {
  timer: NodeJS.Timeout | null;
  running: boolean;
  again: boolean;
  files: Set<string>;
}

/**
 * Watches the modules folder and reacts per module: a change reloads only that module through the
 * registry (blue-green, with rollback), a new folder is discovered and loaded, a deleted one is
 * unloaded. Changes are debounced per module, so a burst of saves is one reload; a change during
 * a reload queues exactly one more.
 */
export function watchModules(options: ModuleWatcherOptions): ModuleWatcher {
  const { modulesDir, debounceMs } = options;
  const pending = new Map<string, Pending>();
  let closed = false;

  const moduleOf = (path: string): string | null => {
    const rel = relative(modulesDir, path);
    if (rel === "" || rel.startsWith("..")) return null;
    return rel.split(sep)[0] ?? null;
  };

  const run = async (name: string, entry: Pending): Promise<void> => {
    entry.running = true;
    const files = [...entry.files];
    entry.files.clear();
    try {
      const change = await options.applyChange(name, files);
      if (change.action !== "none" && !closed) options.onChange(change);
    } catch (error) {
      if (!closed) {
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
        void run(name, entry);
      }
    }
  };

  const schedule = (path: string) => {
    if (closed) return;
    const name = moduleOf(path);
    if (!name) return;
    let entry = pending.get(name);
    if (!entry) {
      entry = { timer: null, running: false, again: false, files: new Set() };
      pending.set(name, entry);
    }
    entry.files.add(path);
    if (entry.timer) clearTimeout(entry.timer);
    const current = entry;
    current.timer = setTimeout(() => {
      current.timer = null;
      if (current.running) current.again = true;
      else void run(name, current);
    }, debounceMs);
  };

  const watcher: FSWatcher = watch(options.dirs, {
    ignoreInitial: true,
    ignored: watchIgnore({ roots: options.dirs, modulesDir, exclude: options.exclude }),
  });
  watcher.on("all", (event, path) => {
    if (event === "addDir" || event === "unlinkDir" || isSourceFile(path)) schedule(path);
  });
  watcher.on("error", () => {
    // A folder vanishing mid-scan is reported here; the unlink events that follow are what count.
  });
  const ready = new Promise<void>((resolve) => watcher.once("ready", () => resolve()));

  return {
    ready,
    async close() {
      closed = true;
      for (const entry of pending.values()) if (entry.timer) clearTimeout(entry.timer);
      await watcher.close();
    },
  };
}
