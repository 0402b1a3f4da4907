import type { ModuleBuild } from "../build/module-builder.ts";
import { asError } from "../errors.ts";
import type { ModuleWorker } from "../host/module-worker.ts";
import type { ModuleRecord } from "../registry/module-record.ts";
import type { LifecycleDeps } from "./lifecycle-deps.ts";

/**
 * Lets a worker finish what it has (drain, bounded), runs the module's shutdown (bounded) and
 * terminates it. Never throws; a worker that does not answer is terminated all the same.
 */
export async function shutDownWorker(
  deps: LifecycleDeps,
  module: string,
  worker: ModuleWorker,
  options: { stuck?: boolean } = {},
): Promise<void> {
  const { timeouts } = deps.limits;
  if (options.stuck) {
    deps.core.logger.warn("the worker did not take its last batch: terminated without shutdown", { module });
  } else if (!worker.dead) {
    try {
      await worker.call((api) => api.drain(timeouts.drain), timeouts.drain + 1000);
      await worker.call((api) => api.shutdown(), timeouts.shutdown);
    } catch (error) {
      deps.core.logger.warn(`shutdown did not complete: ${asError(error).message}`, { module });
    }
  }
  await worker.terminate();
}

/**
 * Stops a module: no more routing, the queue paused until the in-flight batch is acknowledged,
 * the worker drained and shut down, its build freed. `unloaded` also forgets its incremental
 * build and cooldowns (a module loaded again starts afresh).
 */
export async function stopModule(
  deps: LifecycleDeps,
  record: ModuleRecord,
  state: "unloaded" | "failed",
): Promise<void> {
  const { core } = deps;
  const worker = record.worker;
  const build = record.build;
  record.worker = null;
  record.handlers = [];
  core.rebuildIndex();
  if (worker) {
    // A worker stuck in a loop never acknowledges: bounded, then terminated without its shutdown.
    const paused = await record.queue.pause(deps.limits.timeouts.drain);
    record.queue.setTarget(null);
    record.queue.resume();
    // An event loop that has not turned for a second will not answer a drain either.
    await shutDownWorker(deps, record.name, worker, {
      stuck: !paused || worker.stalledFor(Date.now()) > 1000,
    });
  }
  const dropped = record.queue.clear();
  if (dropped > 0) core.logger.warn(`${dropped} queued events dropped on ${state}`, { module: record.name });
  if (build) await deps.builder.release(build);
  record.build = null;
  if (state === "unloaded") {
    await deps.builder.forget(record.name);
    core.cooldowns.clearModule(`${record.name}:`);
  }
  core.setState(record, state);
  core.abandonWaiters(record.name);
}

/**
 * Retires the worker a reload replaced: waits (bounded) for service calls still running in it,
 * then shuts it down and frees its build.
 */
export async function retireWorker(
  deps: LifecycleDeps,
  record: ModuleRecord,
  old: ModuleWorker,
  build: ModuleBuild | null,
  callsInFlight: () => Promise<void>,
): Promise<void> {
  try {
    await callsInFlight();
    await shutDownWorker(deps, record.name, old);
  } finally {
    await old.terminate();
    if (build) await deps.builder.release(build);
  }
}
