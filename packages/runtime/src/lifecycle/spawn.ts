import type { RuntimeBundle } from "../build/runtime-bundle.ts";
import { ModuleWorker } from "../host/module-worker.ts";
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

/**
 * Returns the function that starts a worker for a module: the runtime bundle, the module's heap
 * cap and deadline, and a host API whose `report` reads each report against the handler table of
 * the worker that sent it.
 */
export function createSpawner(deps: SpawnDeps): (record: ModuleRecord) => ModuleWorker {
  return (record) => {
    const settings = deps.settings(record.name);
    let worker: ModuleWorker | undefined;
    const hostApi: HostApi = {
      ...deps.hostApiFor(record.name),
      report: (json) => {
        if (!worker) return;
        const table = deps.core.tables.get(worker) ?? [];
        acceptReports(
          record,
          table,
          JSON.parse(json) as HandlerReport[],
          deps.core.logger,
          deps.core.publish,
        );
      },
    };
    worker = new ModuleWorker({
      module: record.name,
      workerUrl: deps.runtime.workerUrl,
      databaseEntryUrl: deps.runtime.databaseEntryUrl,
      dataDir: deps.dataDir,
      hostApi,
      maxHeapMb: settings.maxHeapMb ?? deps.limits.maxHeapMb,
      deadlineMs: settings.deadlineMs ?? deps.limits.deadlineMs,
      env: settings.env,
    });
    return worker;
  };
}
