import { StarStreamerError } from "starstreamer";

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
  /** A module used `ctx.db` without declaring migrations (or `database: true`). */
  DATABASE_NOT_DECLARED: "SS_DATABASE_NOT_DECLARED",
  /** The operation does not apply in the module's current state (enable an unloaded module...). */
  MODULE_STATE: "SS_MODULE_STATE",
  /** A dependency is not registered, failed, or not enabled. */
  DEPENDENCY_MISSING: "SS_DEPENDENCY_MISSING",
  /** Modules depend on each other in a cycle. */
  DEPENDENCY_CYCLE: "SS_DEPENDENCY_CYCLE",
  /** Other enabled modules depend on the one being disabled or unloaded (pass cascade). */
  DEPENDENTS_ACTIVE: "SS_DEPENDENTS_ACTIVE",
  /** A module requires a service that no loaded module provides (checked when it loads). */
  SERVICE_MISSING: "SS_SERVICE_MISSING",
  /** Two modules provide the same service. */
  SERVICE_DUPLICATE: "SS_SERVICE_DUPLICATE",
  /** A module declares `provides` but did not call `ctx.provide` for it in initialize, or a call reached a module for a service it does not provide. */
  SERVICE_NOT_PROVIDED: "SS_SERVICE_NOT_PROVIDED",
  /** The service has no such method. */
  SERVICE_METHOD_MISSING: "SS_SERVICE_METHOD_MISSING",
  /** A custom event's payload is larger than the bus takes (64 KB of JSON). */
  EVENT_TOO_LARGE: "SS_EVENT_TOO_LARGE",
  /** A module emitted an event outside its own `custom.<module>.` namespace. */
  EMIT_FORBIDDEN: "SS_EMIT_FORBIDDEN",
  /** A module called a service it does not list in `requires`. */
  SERVICE_NOT_REQUIRED: "SS_SERVICE_NOT_REQUIRED",
  /** The provider's worker died while the service call was running in it; the call was not retried. */
  SERVICE_INTERRUPTED: "SS_SERVICE_INTERRUPTED",
  /** The provider did not come back to serve within the wait. */
  SERVICE_UNAVAILABLE: "SS_SERVICE_UNAVAILABLE",
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
  /** A module called a plugin method that is not in the plugin's declared module interface. */
  PLUGIN_METHOD_FORBIDDEN: "SS_PLUGIN_METHOD_FORBIDDEN",
  /** The shared job pool's queue is full. */
  JOBS_QUEUE_FULL: "SS_JOBS_QUEUE_FULL",
  /** A job ran past its timeout and was cancelled. */
  JOBS_TIMEOUT: "SS_JOBS_TIMEOUT",
  /** No `jobs/<name>.ts` in the module folder. */
  JOBS_NOT_FOUND: "SS_JOBS_NOT_FOUND",
  /** A regex trigger uses what the linear-time engine cannot run (a backreference, a lookaround). */
  TRIGGER_REGEX_UNSUPPORTED: "SS_TRIGGER_REGEX_UNSUPPORTED",
} as const;

/**
 * Any thrown value as a StarStreamerError: kept as it is when it already is one, rebuilt with its
 * `code` and `data` when it carries a code (an error that crossed a thread), else wrapped as
 * SS_MODULE_ERROR with the original as `cause`. The one place unknown errors are normalised.
 */
export function asError(error: unknown): StarStreamerError {
  if (error instanceof StarStreamerError) return error;
  const e = error as { code?: unknown; message?: unknown; data?: unknown; stack?: unknown };
  if (error instanceof Error && typeof e.code === "string") {
    const wrapped = new StarStreamerError(e.code, error.message, {
      data: (e.data as Record<string, unknown>) ?? {},
    });
    wrapped.stack = error.stack;
    return wrapped;
  }
  return new StarStreamerError(
    RuntimeErrorCodes.MODULE_ERROR,
    error instanceof Error ? error.message : String(error),
    {
      cause: error,
    },
  );
}
