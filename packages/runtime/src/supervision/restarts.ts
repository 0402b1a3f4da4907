import { asError } from "../errors.ts";
import type { WorkerDeath } from "../host/module-worker.ts";
import type { LifecycleDeps } from "../lifecycle/lifecycle-deps.ts";
import { initializeModule, prepareModule } from "../lifecycle/prepare.ts";
import { remapQueued } from "../lifecycle/reload.ts";
import { type CompiledHandler, type ModuleRecord, serialise } from "../registry/module-record.ts";
import { decideAfterCrash } from "./crash-policy.ts";

/**
 * What happens when a module's serving worker dies: the module goes to `restarting` (its events
 * keep queueing, service calls wait), and a new worker is started from the same build after a
 * backoff; the crash policy gives up after repeated failures and marks the module `failed`.
 */
export class RestartSupervisor {
  readonly #deps: LifecycleDeps;
  #closed = false;

  constructor(deps: LifecycleDeps) {
    this.#deps = deps;
  }

  close(): void {
    this.#closed = true;
  }

  /**
   * A crash of the serving worker (or of a restart attempt). `table` is the dead worker's handler
   * table, to name the handler that was running.
   */
  onFailure(record: ModuleRecord, death: WorkerDeath, table?: readonly CompiledHandler[]): void {
    if (this.#closed) return;
    const { core, limits, builder } = this.#deps;
    record.worker = null;
    record.queue.setTarget(null);
    const running = death.running;
    const handler = running ? (table?.[running.handlerId]?.info.name ?? `#${running.handlerId}`) : undefined;
    core.logger.error(
      `worker ${death.reason}: ${death.message}${
        running
          ? ` (while ${handler} handled event ${running.eventId ?? "?"}; that event is not delivered again)`
          : ""
      }`,
      { module: record.name, ...(running ? { handler, eventId: running.eventId } : {}) },
    );
    const decision = decideAfterCrash(record.failures, Date.now(), limits.crash);
    record.failures = decision.failures;
    if (decision.action === "give-up") {
      record.handlers = [];
      const dropped = record.queue.clear();
      core.fail(
        record,
        `${death.message} (${decision.reason}${dropped ? `, ${dropped} queued events dropped` : ""}); bring it back by saving one of its files, /reload ${record.name}, or Reload on the admin page`,
      );
      const build = record.build;
      record.build = null;
      if (build) void builder.release(build);
      core.abandonWaiters(record.name);
      return;
    }
    record.reason = `${death.message}; restarting`;
    core.setState(record, "restarting");
    setTimeout(() => {
      void serialise(record, () => this.#restart(record)).catch(() => {});
    }, decision.delayMs).unref();
  }

  async #restart(record: ModuleRecord): Promise<void> {
    if (record.state !== "restarting" || this.#closed) return;
    const { core } = this.#deps;
    let worker: NonNullable<ModuleRecord["worker"]> | null = null;
    try {
      const prepared = await prepareModule(this.#deps, record, record.build ?? undefined);
      worker = prepared.worker;
      const handlers = await initializeModule(this.#deps, record, worker, prepared.manifest);
      record.restarts++;
      remapQueued(this.#deps, record, handlers);
      core.attach(record, worker, prepared.build, handlers);
      record.reason = null;
      core.setState(record, record.wantEnabled ? "enabled" : "disabled");
      core.logger.info(`restarted after a crash (${record.restarts} so far)`, { module: record.name });
    } catch (error) {
      await worker?.terminate();
      // Counts as another failure: either restart again with more backoff or give up.
      this.onFailure(record, { reason: "crashed", message: `restart failed: ${asError(error).message}` });
    }
  }
}
