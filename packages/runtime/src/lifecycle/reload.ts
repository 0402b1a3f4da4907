import { performance } from "node:perf_hooks";
import type { StarStreamerError } from "starstreamer";
import { remapEntry } from "../bus/delivery-entry.ts";
import { asError } from "../errors.ts";
import type { CompiledHandler, ModuleRecord } from "../registry/module-record.ts";
import type { LifecycleDeps } from "./lifecycle-deps.ts";
import { initializeModule, type Prepared, prepareModule } from "./prepare.ts";

/** The outcome of a reload. */
export interface ReloadResult {
  module: string;
  ok: boolean;
  version: string | null;
  durationMs: number;
  error: StarStreamerError | null;
}

/** What a reload needs beyond the lifecycle deps. */
export interface ReloadHooks {
  /** Retires the replaced worker in the background (after its service calls finish). */
  retire(record: ModuleRecord, old: NonNullable<ModuleRecord["worker"]>, build: ModuleRecord["build"]): void;
  /** Holds new service calls to the module and waits for those running in `old` (before a snapshot). */
  holdCalls(record: ModuleRecord, old: NonNullable<ModuleRecord["worker"]>): Promise<void>;
  /** Lets service calls go again (after the swap, or after a failure). */
  releaseCalls(record: ModuleRecord): void;
}

/**
 * Blue-green reload: build, start a new worker, initialize and register; health-check it; pause
 * the queue (the batch in flight is acknowledged by the old worker), drain the old worker, carry
 * snapshot state over, swap, resume. Any failure before the swap leaves the old worker serving.
 * Never throws: the result says what happened.
 */
export async function reloadModule(
  deps: LifecycleDeps,
  hooks: ReloadHooks,
  record: ModuleRecord,
): Promise<ReloadResult> {
  const { core, limits } = deps;
  const started = performance.now();
  const old = record.worker;
  const oldBuild = record.build;
  let fresh: Prepared | null = null;
  let swapped = false;
  let paused = false;
  let held = false;
  try {
    fresh = await prepareModule(deps, record);
    const handlers = await initializeModule(deps, record, fresh.worker, fresh.manifest);
    await fresh.worker.call((api) => api.health(), limits.timeouts.health);
    if (old && !old.dead) {
      // From here, events wait in the queue; none is in flight to the old worker.
      await record.queue.pause();
      paused = true;
      await old.call((api) => api.drain(limits.timeouts.drain)).catch(() => 0);
      if (record.manifest?.canSnapshot && fresh.manifest.canSnapshot) {
        // No service call may change the old state after the snapshot: hold new ones, finish old ones.
        held = true;
        await hooks.holdCalls(record, old);
        const state = await old.call((api) => api.snapshot(), limits.timeouts.snapshot);
        await fresh.worker.call((api) => api.restore(state), limits.timeouts.snapshot);
      }
    }
    const wasState = record.state;
    remapQueued(deps, record, handlers);
    record.manifest = fresh.manifest;
    core.attach(record, fresh.worker, fresh.build, handlers);
    swapped = true;
    record.reason = null;
    if (wasState !== "enabled" && wasState !== "disabled") {
      // A reload that brings back a failed or restarting module gives it a fresh crash budget.
      record.failures = [];
      core.setState(record, record.wantEnabled ? "enabled" : "disabled");
    }
    record.queue.resume();
    paused = false;
    if (held) hooks.releaseCalls(record);
    if (old) hooks.retire(record, old, oldBuild);
    const durationMs = performance.now() - started;
    record.reloads.successful++;
    record.reloads.lastDurationMs = durationMs;
    await deps.store.recordReload({
      module: record.name,
      ok: true,
      durationMs,
      version: fresh.manifest.version,
    });
    core.publish("system.module.state", {
      module: record.name,
      state: record.state,
      version: fresh.manifest.version,
      reason: "reloaded",
    });
    return { module: record.name, ok: true, version: fresh.manifest.version, durationMs, error: null };
  } catch (error) {
    const e = asError(error);
    if (fresh && !swapped) {
      await fresh.worker.terminate();
      await deps.builder.release(fresh.build);
    }
    if (paused) record.queue.resume();
    if (held) hooks.releaseCalls(record);
    const durationMs = performance.now() - started;
    record.reloads.failed++;
    record.reloads.lastDurationMs = durationMs;
    if (!old) core.fail(record, e.message);
    await deps.store.recordReload({ module: record.name, ok: false, durationMs, error: e.message });
    core.logger.error(
      `reload failed, ${old ? "the previous version keeps serving" : "not loaded"}: ${e.message}`,
      {
        module: record.name,
      },
    );
    return {
      module: record.name,
      ok: false,
      version: record.manifest?.version ?? null,
      durationMs,
      error: e,
    };
  }
}

/**
 * The new id of each old handler: the handler of the same id (name) in the new table; failing
 * that, a renamed one: the single new handler, not claimed by name, with the same event type and
 * the same triggers. -1 when the handler is gone.
 */
export function mapHandlers(
  previous: readonly CompiledHandler[],
  next: readonly CompiledHandler[],
): number[] {
  const byName = new Map(next.map((h) => [h.info.name, h.info.id]));
  const oldNames = new Set(previous.map((h) => h.info.name));
  const shape = (h: CompiledHandler) => `${h.info.type}\u0000${JSON.stringify(h.info.triggers)}`;
  const unclaimed = new Map<string, number[]>();
  for (const h of next) {
    if (oldNames.has(h.info.name)) continue;
    const list = unclaimed.get(shape(h)) ?? [];
    list.push(h.info.id);
    unclaimed.set(shape(h), list);
  }
  const orphans = new Map<string, number>();
  for (const h of previous)
    if (!byName.has(h.info.name)) orphans.set(shape(h), (orphans.get(shape(h)) ?? 0) + 1);
  return previous.map((h) => {
    const same = byName.get(h.info.name);
    if (same !== undefined) return same;
    const candidates = unclaimed.get(shape(h));
    // A rename is only recognisable when exactly one handler of that shape went and one came.
    return candidates?.length === 1 && orphans.get(shape(h)) === 1 ? (candidates[0] as number) : -1;
  });
}

/**
 * Events queued for the old handler table carry its handler ids; the new version may add,
 * remove, reorder or rename handlers. Queued hits follow their handler (see {@link mapHandlers});
 * a hit whose handler is gone is dropped (and logged).
 */
export function remapQueued(
  deps: Pick<LifecycleDeps, "core">,
  record: ModuleRecord,
  next: readonly CompiledHandler[],
): void {
  const previous = record.handlers;
  if (record.queue.length === 0 || previous.length === 0) return;
  const same =
    previous.length === next.length && previous.every((h, i) => h.info.name === next[i]?.info.name);
  if (same) return;
  const newId = mapHandlers(previous, next);
  let dropped = 0;
  record.queue.rewrite((json) => {
    const remapped = remapEntry(json, newId);
    dropped += remapped.dropped;
    return remapped.json;
  });
  if (dropped > 0) {
    deps.core.logger.info(`${dropped} queued events were for handlers the new version removed`, {
      module: record.name,
    });
  }
}
