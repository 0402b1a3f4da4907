import type { ModuleManifest } from "starstreamer/internal";
import { MODULE_STATES } from "starstreamer/internal";
import type { ModuleBuild } from "../build/module-builder.ts";
import type { DeliveryQueue } from "../bus/delivery-queue.ts";
import type { ModuleWorker } from "../host/module-worker.ts";
import { LatencyWindow } from "../stats/latency-window.ts";
import type { CompiledTriggers } from "../triggers/index.ts";
import type { HandlerInfo } from "../worker/protocol.ts";

/** Where a module is in its life: the one set of states, shared with `system.module.state` events. */
export type ModuleState = (typeof MODULE_STATES)[number];

export { MODULE_STATES };

/** States in which a module has (or is about to get back) a worker of its own. */
export const LOADED_STATES: ReadonlySet<ModuleState> = new Set(["enabled", "disabled", "restarting"]);

/** True when the module counts as loaded: it has a worker, or is getting one back after a crash. */
export function isLoadedState(state: ModuleState): boolean {
  return LOADED_STATES.has(state);
}

/**
 * Which states a module may move to from each state. `loading` is entered by load, reload of a
 * failed module and restart; every state may become `failed` or `unloaded` through an error or an
 * unload. Checked on every transition so a wrong one is a bug report, not a silent oddity.
 */
const TRANSITIONS: Record<ModuleState, readonly ModuleState[]> = {
  discovered: ["loading", "failed"],
  loading: ["enabled", "disabled", "failed", "unloaded", "loading"],
  enabled: ["disabled", "restarting", "failed", "unloaded", "loading"],
  disabled: ["enabled", "restarting", "failed", "unloaded", "loading"],
  restarting: ["enabled", "disabled", "failed", "unloaded", "restarting", "loading"],
  failed: ["loading", "enabled", "disabled", "unloaded", "failed"],
  unloaded: ["loading", "failed", "unloaded"],
};

/** Whether `from -> to` is a transition the lifecycle allows. */
export function canTransition(from: ModuleState, to: ModuleState): boolean {
  return from === to || TRANSITIONS[from].includes(to);
}

/** One handler of a module's current worker, with its compiled triggers. */
export interface CompiledHandler {
  info: HandlerInfo;
  triggers: CompiledTriggers;
}

/** The last handler error of a module. */
export interface LastError {
  message: string;
  handler: string | null;
  at: number;
}

/** Everything the host keeps about one module. Mutated only by the registry and its lifecycle parts. */
export interface ModuleRecord {
  readonly name: string;
  /** Registration order, to keep one module's hits together when candidate lists merge. */
  readonly index: number;
  readonly dir: string;
  state: ModuleState;
  /** What the user asked for (persisted): enabled or disabled once loaded. */
  wantEnabled: boolean;
  manifest: ModuleManifest | null;
  build: ModuleBuild | null;
  worker: ModuleWorker | null;
  handlers: CompiledHandler[];
  readonly queue: DeliveryQueue;
  eventsHandled: number;
  errors: number;
  lastError: LastError | null;
  reason: string | null;
  readonly latency: LatencyWindow;
  /** Times of recent failures, for the crash policy. */
  failures: number[];
  restarts: number;
  readonly reloads: { successful: number; failed: number; lastDurationMs: number | null };
  /** Serialises lifecycle operations on this module. */
  op: Promise<unknown>;
  /** The provider whose unload took this module with it (it is loaded again when that comes back). */
  unloadedWith: string | null;
}

/** What a new record needs. */
export interface NewRecord {
  name: string;
  index: number;
  dir: string;
  wantEnabled: boolean;
  queue: DeliveryQueue;
}

/** A freshly registered module: discovered, no worker. */
export function createRecord({ name, index, dir, wantEnabled, queue }: NewRecord): ModuleRecord {
  return {
    name,
    index,
    dir,
    state: "discovered",
    wantEnabled,
    manifest: null,
    build: null,
    worker: null,
    handlers: [],
    queue,
    eventsHandled: 0,
    errors: 0,
    lastError: null,
    reason: null,
    latency: new LatencyWindow(),
    failures: [],
    restarts: 0,
    reloads: { successful: 0, failed: 0, lastDurationMs: null },
    op: Promise.resolve(),
    unloadedWith: null,
  };
}

/** True when events for the module are routed now: enabled, or restarting and meant to be enabled. */
export function isRouted(record: Pick<ModuleRecord, "state" | "wantEnabled">): boolean {
  return record.state === "enabled" || (record.state === "restarting" && record.wantEnabled);
}

/** Runs lifecycle operations on one module one after another; a failed one does not block the next. */
export function serialise<T>(record: ModuleRecord, operation: () => Promise<T>): Promise<T> {
  const next = record.op.then(operation, operation);
  record.op = next.catch(() => {});
  return next;
}
