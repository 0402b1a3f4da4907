import type { CrashPolicyOptions } from "../supervision/crash-policy.ts";

/** Tuning of the registry: queue size, watchdog, deadlines, heap cap, crash policy, timeouts. */
export interface RegistryLimits {
  /**
   * Entries a module's queue holds before new ones are refused and counted (default 50,000: a
   * flood of 20,000 events waits instead of being dropped; chat entries are under 1 KB each).
   */
  queueCapacity?: number;
  /** A worker whose event loop does not turn for this long is terminated (default 5 s). */
  watchdogMs?: number;
  /** A handler run past this is reported as slow (default 5 s; per module in the config). */
  deadlineMs?: number;
  /** V8 old-generation cap per worker, MB (default 128; per module in the config). */
  maxHeapMb?: number;
  crash?: CrashPolicyOptions;
  /** Bounds on lifecycle calls into a worker, ms. */
  timeouts?: { load?: number; start?: number; drain?: number; shutdown?: number };
}

/** The limits with every default filled in. */
export interface ResolvedLimits {
  queueCapacity: number;
  watchdogMs: number;
  deadlineMs: number;
  maxHeapMb: number;
  crash: CrashPolicyOptions;
  timeouts: {
    load: number;
    start: number;
    drain: number;
    shutdown: number;
    health: number;
    snapshot: number;
  };
}

/** Fills in the defaults. */
export function resolveLimits(limits: RegistryLimits = {}): ResolvedLimits {
  return {
    queueCapacity: limits.queueCapacity ?? 50_000,
    watchdogMs: limits.watchdogMs ?? 5000,
    deadlineMs: limits.deadlineMs ?? 5000,
    maxHeapMb: limits.maxHeapMb ?? 128,
    crash: limits.crash ?? {},
    timeouts: {
      load: limits.timeouts?.load ?? 10_000,
      start: limits.timeouts?.start ?? 15_000,
      drain: limits.timeouts?.drain ?? 5000,
      shutdown: limits.timeouts?.shutdown ?? 5000,
      health: 2000,
      snapshot: 5000,
    },
  };
}

/** Per-module settings from the project config. */
export interface ModuleSettings {
  /** The module's own config section, validated by its schema in the worker. */
  config?: unknown;
  /** V8 old-generation heap cap of the module's worker, MB. */
  maxHeapMb?: number;
  /** Report one handler run past this many ms. */
  deadlineMs?: number;
  /** Environment variables the module's worker may read (besides NODE_ENV and TZ). */
  env?: string[];
}
