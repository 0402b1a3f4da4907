import { existsSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { findModuleEntry } from "../build/module-builder.ts";
import { asError } from "../errors.ts";
import type { ModuleRegistry } from "../registry/module-registry.ts";
import type { ReloadResult } from "./reload.ts";

/** What one reaction to a change of a module's files did. */
export type ModuleChange =
  | {
      module: string;
      action: "reloaded" | "loaded";
      version: string | null;
      durationMs: number;
      files: string[];
    }
  | { module: string; action: "unloaded"; durationMs: number; also: string[] }
  | {
      module: string;
      action: "failed";
      error: string;
      /** The error's code and data (a build error's file, line and column, say). */
      code?: string;
      data?: Record<string, unknown>;
      durationMs: number;
      kept: boolean;
      files: string[];
    }
  | { module: string; action: "none"; durationMs: number };

/** A reload result as a change (reloaded, or failed with the old version kept serving). */
export function reloadChange(module: string, result: ReloadResult, files: string[] = []): ModuleChange {
  return result.ok
    ? { module, action: "reloaded", version: result.version, durationMs: result.durationMs, files }
    : {
        module,
        action: "failed",
        error: result.error?.message ?? "reload failed",
        ...(result.error ? { code: result.error.code, data: result.error.data } : {}),
        durationMs: result.durationMs,
        kept: true,
        files,
      };
}

/**
 * The one decision "this module's files changed, so...": a folder gone (or without an entry file)
 * unloads the module and what depends on it; a new folder is discovered and loaded; a loaded module
 * is reloaded blue-green (a broken version keeps the old one serving); an unloaded or failed one is
 * loaded. The file watcher, the admin API and the benchmarks all call this. Never throws.
 */
export async function applyModuleChange(
  registry: ModuleRegistry,
  modulesDir: string,
  name: string,
  files: string[] = [],
): Promise<ModuleChange> {
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  const dir = join(modulesDir, name);
  try {
    if (!existsSync(dir) || findModuleEntry(dir) === null) {
      if (!registry.has(name) || !registry.isLoaded(name))
        return { module: name, action: "none", durationMs: elapsed() };
      const affected = await registry.unload(name, { cascade: true, bringBack: true });
      return {
        module: name,
        action: "unloaded",
        durationMs: elapsed(),
        also: affected.filter((m) => m !== name),
      };
    }
    if (!registry.has(name)) {
      await registry.discover();
      if (!registry.has(name)) return { module: name, action: "none", durationMs: elapsed() };
    }
    if (registry.isLoaded(name)) return reloadChange(name, await registry.reload(name), files);
    await registry.load(name);
    return {
      module: name,
      action: "loaded",
      version: registry.info(name).version,
      durationMs: elapsed(),
      files,
    };
  } catch (error) {
    return {
      module: name,
      action: "failed",
      error: asError(error).message,
      durationMs: elapsed(),
      kept: false,
      files,
    };
  }
}
