import type { RuntimeBundle } from "../build/runtime-bundle.ts";
import { ModuleWorker, type ModuleWorkerBinding } from "../host/module-worker.ts";
import type { ModuleSettings, ResolvedLimits } from "../registry/limits.ts";
import type { ModuleRecord } from "../registry/module-record.ts";
import type { RegistryCore } from "../registry/registry-core.ts";
import { acceptReports } from "../stats/handler-reports.ts";
import type { HandlerReport, HostApi } from "../worker/protocol.ts";

/** What spawning a module worker needs. */
export interface SpawnDeps {
  core: RegistryCore;
  runtime: RuntimeBundle;
  dataDir: string;
  limits: ResolvedLimits;
  settings(module: string): ModuleSettings;
  /** The API object the module's worker calls the host through. */
  hostApiFor(module: string): Omit<HostApi, "report">;
}

/** Starts module workers: for a module, or spare ones bound to a module later. */
export interface Spawner {
  /** A fresh worker for the module (its thread boots while the caller goes on). */
  spawn(record: ModuleRecord): ModuleWorker;
  /** A worker bound to no module yet, started with the default limits. */
  spare(): ModuleWorker;
  /**
   * Binds a spare worker to the module, if the module runs with the default limits (a heap cap or
   * an environment of its own must be set when the thread starts); false when it cannot take it.
   */
  bind(worker: ModuleWorker, record: ModuleRecord): boolean;
}

/**
 * Returns what starts workers for modules: the runtime bundle, the module's heap cap and deadline,
 * and a host API whose `report` reads each report against the handler table of the worker that
 * sent it.
 */
export function createSpawner(deps: SpawnDeps): Spawner {
  const binding = (record: ModuleRecord, worker: () => ModuleWorker | undefined): ModuleWorkerBinding => {
    const settings = deps.settings(record.name);
    return {
      module: record.name,
      deadlineMs: settings.deadlineMs ?? deps.limits.deadlineMs,
      hostApi: {
        ...deps.hostApiFor(record.name),
        report: (json) => {
          const sender = worker();
          if (!sender) return;
          const table = deps.core.tables.get(sender) ?? [];
          acceptReports(
            record,
            table,
            JSON.parse(json) as HandlerReport[],
            deps.core.logger,
            deps.core.publish,
          );
        },
      },
    };
  };
  const start = (bind: ModuleWorkerBinding | null, settings: ModuleSettings) =>
    new ModuleWorker({
      workerUrl: deps.runtime.workerUrl,
      databaseEntryUrl: deps.runtime.databaseEntryUrl,
      dataDir: deps.dataDir,
      bind,
      maxHeapMb: settings.maxHeapMb ?? deps.limits.maxHeapMb,
      env: settings.env,
    });
  return {
    spawn(record) {
      let worker: ModuleWorker | undefined;
      worker = start(
        binding(record, () => worker),
        deps.settings(record.name),
      );
      return worker;
    },
    spare: () => start(null, {}),
    bind(worker, record) {
      const settings = deps.settings(record.name);
      const ownHeap = settings.maxHeapMb !== undefined && settings.maxHeapMb !== deps.limits.maxHeapMb;
      if (ownHeap || (settings.env?.length ?? 0) > 0) return false;
      worker.bind(binding(record, () => worker));
      return true;
    },
  };
}
