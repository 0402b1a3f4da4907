/** The codes the runtime raises; docs/errors.md gives cause and fix for each. */
export const RuntimeErrorCodes = {
  /** esbuild could not build a module; `data.errors` has file, line, column and text. */
  MODULE_BUILD_FAILED: "SS_MODULE_BUILD_FAILED",
  /** A module folder has no `module.ts` (or `.mts`, `.js`, `index.ts`). */
  MODULE_ENTRY_MISSING: "SS_MODULE_ENTRY_MISSING",
  /** The module's default export is not a module class or `defineModule` result. */
  MODULE_EXPORT_INVALID: "SS_MODULE_EXPORT_INVALID",
  /** No module with that name is registered. */
  MODULE_NOT_FOUND: "SS_MODULE_NOT_FOUND",
  /** Two module folders declare the same name. */
  MODULE_DUPLICATE: "SS_MODULE_DUPLICATE",
  /** The operation does not apply in the module's current state (enable an unloaded module...). */
  MODULE_STATE: "SS_MODULE_STATE",
  /** A dependency is not registered, failed, or not enabled. */
  DEPENDENCY_MISSING: "SS_DEPENDENCY_MISSING",
  /** Modules depend on each other in a cycle. */
  DEPENDENCY_CYCLE: "SS_DEPENDENCY_CYCLE",
  /** Other enabled modules depend on the one being disabled or unloaded (pass cascade). */
  DEPENDENTS_ACTIVE: "SS_DEPENDENTS_ACTIVE",
  /** A required service is provided by no loaded module. */
  SERVICE_MISSING: "SS_SERVICE_MISSING",
  /** Two modules provide the same service. */
  SERVICE_DUPLICATE: "SS_SERVICE_DUPLICATE",
  /** A module declares `provides` but did not call `ctx.provide` for it in initialize. */
  SERVICE_NOT_PROVIDED: "SS_SERVICE_NOT_PROVIDED",
  /** The service has no such method. */
  SERVICE_METHOD_MISSING: "SS_SERVICE_METHOD_MISSING",
  /** A module emitted an event outside its own `custom.<module>.` namespace. */
  EMIT_FORBIDDEN: "SS_EMIT_FORBIDDEN",
  /** A module's worker died (crash, exit, out of memory, watchdog) while a call was pending. */
  WORKER_DIED: "SS_WORKER_DIED",
  /** A call into a module's worker did not answer in time. */
  WORKER_TIMEOUT: "SS_WORKER_TIMEOUT",
  /** The new worker failed its health check before a reload swap. */
  WORKER_UNHEALTHY: "SS_WORKER_UNHEALTHY",
  /** The module was marked failed (after repeated crashes, or a load error); see its reason. */
  MODULE_FAILED: "SS_MODULE_FAILED",
  /** A module threw something that carries no code of its own; the message says what. */
  MODULE_ERROR: "SS_MODULE_ERROR",
  /** A plugin the module called is not connected in this host. */
  PLUGIN_UNAVAILABLE: "SS_PLUGIN_UNAVAILABLE",
  /** The shared job pool's queue is full. */
  JOBS_QUEUE_FULL: "SS_JOBS_QUEUE_FULL",
  /** A job ran past its timeout and was cancelled. */
  JOBS_TIMEOUT: "SS_JOBS_TIMEOUT",
  /** No `jobs/<name>.ts` in the module folder. */
  JOBS_NOT_FOUND: "SS_JOBS_NOT_FOUND",
} as const;
