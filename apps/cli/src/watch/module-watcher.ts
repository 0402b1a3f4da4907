import { existsSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { performance } from "node:perf_hooks";
import {
  findModuleEntry,
  type ModuleRegistry,
  type ModuleState,
  type ReloadResult,
} from "@starstreamer/runtime";
import { type FSWatcher, watch } from "chokidar";
import { isSourceFile, watchIgnore } from "./ignore.ts";

/** What one reaction to a change did; the CLI prints each as one line. */
export type ModuleChange =
  | {
      module: string;
      action: "reloaded" | "loaded";
      version: string | null;
      durationMs: number;
      files: string[];
    }
  | { module: string; action: "unloaded"; durationMs: number; also: string[] }
  | { module: string; action: "failed"; error: string; durationMs: number; kept: boolean; files: string[] };

/** How to watch the modules folder. */
/** What a registry reload means as a change line (reloaded, or failed with the old version kept). */
export function reloadChange(module: string, result: ReloadResult, files: string[]): ModuleChange {
  return result.ok
    ? { module, action: "reloaded", version: result.version, durationMs: result.durationMs, files }
    : {
        module,
        action: "failed",
        error: result.error?.message ?? "reload failed",
        durationMs: result.durationMs,
        kept: true,
        files,
      };
}

export interface ModuleWatcherOptions {
  registry: ModuleRegistry;
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

const LOADED: ReadonlySet<ModuleState> = new Set(["enabled", "disabled", "restarting", "loading"]);

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
  const { registry, modulesDir, debounceMs } = options;
  const pending = new Map<string, Pending>();
  let closed = false;

  const moduleOf = (path: string): string | null => {
    const rel = relative(modulesDir, path);
    if (rel === "" || rel.startsWith("..")) return null;
    return rel.split(sep)[0] ?? null;
  };

  const react = async (name: string, files: string[]): Promise<void> => {
    const dir = join(modulesDir, name);
    const started = performance.now();
    const elapsed = () => performance.now() - started;
    const failed = (error: unknown): ModuleChange => ({
      module: name,
      action: "failed",
      error: (error as Error).message,
      durationMs: elapsed(),
      kept: false,
      files,
    });
    if (!existsSync(dir) || findModuleEntry(dir) === null) {
      if (registry.has(name) && LOADED.has(registry.info(name).state)) {
        try {
          const affected = await registry.unload(name, { cascade: true });
          options.onChange({
            module: name,
            action: "unloaded",
            durationMs: elapsed(),
            also: affected.filter((m) => m !== name),
          });
        } catch (error) {
          options.onChange(failed(error));
        }
      }
      return;
    }
    if (!registry.has(name)) {
      await registry.discover();
      if (!registry.has(name)) return;
    }
    if (LOADED.has(registry.info(name).state)) {
      options.onChange(reloadChange(name, await registry.reload(name), files));
      return;
    }
    try {
      await registry.load(name);
      options.onChange({
        module: name,
        action: "loaded",
        version: registry.info(name).version,
        durationMs: elapsed(),
        files,
      });
    } catch (error) {
      options.onChange(failed(error));
    }
  };

  const run = async (name: string, entry: Pending): Promise<void> => {
    entry.running = true;
    const files = [...entry.files];
    entry.files.clear();
    try {
      await react(name, files);
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
