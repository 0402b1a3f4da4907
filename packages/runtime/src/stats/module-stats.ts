import type { LastError, ModuleRecord, ModuleState } from "../registry/module-record.ts";
import { isLoadedState } from "../registry/module-record.ts";

/** A module as the admin page and `stats()` show it. */
export interface ModuleInfo {
  name: string;
  dir: string;
  state: ModuleState;
  enabled: boolean;
  version: string | null;
  description: string;
  author: string;
  dependencies: string[];
  provides: string[];
  requires: string[];
  handlers: Array<{ name: string; type: string; triggers: string[] }>;
  eventsHandled: number;
  errors: number;
  lastError: LastError | null;
  reason: string | null;
  handlerP50Ms: number | null;
  handlerP99Ms: number | null;
  /** V8 heap in use by the module's worker, MB (null without a worker). */
  heapUsedMb: number | null;
  queued: number;
  dropped: number;
  restarts: number;
  reloads: { successful: number; failed: number; lastDurationMs: number | null };
  /** Chat commands this module answers that another module answers too. */
  sharedCommands: string[];
}

/** Totals across modules. */
export interface RegistryStats {
  total: number;
  loaded: number;
  enabled: number;
  failed: number;
  modules: ModuleInfo[];
}

/** One module's figures, read off its record. */
export function moduleInfo(r: ModuleRecord, sharedCommands: string[] = []): ModuleInfo {
  const m = r.manifest;
  return {
    name: r.name,
    dir: r.dir,
    state: r.state,
    enabled: r.wantEnabled,
    version: m?.version ?? null,
    description: m?.description ?? "",
    author: m?.author ?? "",
    dependencies: m?.dependencies ?? [],
    provides: m?.provides ?? [],
    requires: m?.requires ?? [],
    handlers: r.handlers.map((h) => ({
      name: h.info.name,
      type: h.info.type,
      triggers: h.info.triggers.map((t) => t.kind),
    })),
    eventsHandled: r.eventsHandled,
    errors: r.errors,
    lastError: r.lastError,
    reason: r.reason,
    handlerP50Ms: r.latency.quantile(0.5),
    handlerP99Ms: r.latency.quantile(0.99),
    heapUsedMb: r.worker ? Math.round(r.worker.heapUsedMb * 10) / 10 : null,
    queued: r.queue.length,
    dropped: r.queue.dropped,
    restarts: r.restarts,
    reloads: { ...r.reloads },
    sharedCommands,
  };
}

/** Totals over module infos. */
export function registryStats(modules: ModuleInfo[]): RegistryStats {
  return {
    total: modules.length,
    loaded: modules.filter((m) => isLoadedState(m.state)).length,
    enabled: modules.filter((m) => m.state === "enabled").length,
    failed: modules.filter((m) => m.state === "failed").length,
    modules,
  };
}
