import type { ResolvedConfig } from "../config/load-config.ts";

/**
 * What the dev supervisor watches, from the config a host resolved. The host sends it with its
 * "ready" message, so the supervisor watches what the running bot was started with and never
 * loads the config itself unless the host exits before it is ready or the config file changes.
 */
export interface WatchPlan {
  /** Folders outside the modules folder: a change restarts the host. */
  frameworkDirs: string[];
  /** Watched folders inside the modules folder (the host reloads those modules itself). */
  moduleDirs: string[];
  modulesDir: string;
  /** Never watched. */
  dataDir: string;
  debounceMs: number;
  /** The config file the host loaded, if any. */
  configFile: string | null;
  /** The `.env` the host read, if any. */
  envFile: string | null;
}

/** The watch plan of a resolved config. */
export function watchPlanOf(config: ResolvedConfig): WatchPlan {
  return {
    frameworkDirs: config.frameworkWatchDirs,
    moduleDirs: config.moduleWatchDirs,
    modulesDir: config.modulesDir,
    dataDir: config.dataDir,
    debounceMs: config.reload.debounceMs,
    configFile: config.configFile,
    envFile: config.envFile,
  };
}

const strings = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((v) => typeof v === "string");
const stringOrNull = (value: unknown): value is string | null => value === null || typeof value === "string";

/** True when `value` (a message from a host process) is a complete watch plan. */
export function isWatchPlan(value: unknown): value is WatchPlan {
  if (typeof value !== "object" || value === null) return false;
  const plan = value as Record<string, unknown>;
  return (
    strings(plan.frameworkDirs) &&
    strings(plan.moduleDirs) &&
    typeof plan.modulesDir === "string" &&
    typeof plan.dataDir === "string" &&
    typeof plan.debounceMs === "number" &&
    Number.isFinite(plan.debounceMs) &&
    plan.debounceMs >= 0 &&
    stringOrNull(plan.configFile) &&
    stringOrNull(plan.envFile)
  );
}
