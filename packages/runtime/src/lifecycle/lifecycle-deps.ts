import type { HostStore } from "@starstreamer/storage";
import type { ModuleBuilder } from "../build/module-builder.ts";
import type { ModuleWorker } from "../host/module-worker.ts";
import type { ModuleSettings, ResolvedLimits } from "../registry/limits.ts";
import type { ModuleRecord } from "../registry/module-record.ts";
import type { RegistryCore } from "../registry/registry-core.ts";

/** What the lifecycle steps (prepare, start, reload, stop, restart) work with. */
export interface LifecycleDeps {
  core: RegistryCore;
  builder: ModuleBuilder;
  store: HostStore;
  limits: ResolvedLimits;
  commandPrefix: string;
  settings(module: string): ModuleSettings;
  /** A fresh worker for the module (its thread boots while the caller goes on). */
  spawn(record: ModuleRecord): ModuleWorker;
  /** The warm spare worker, bound to this module, if there is one it can take. */
  takeSpare(record: ModuleRecord): ModuleWorker | null;
}
