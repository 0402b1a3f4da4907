import { asError } from "../errors.ts";
import type { ModuleRecord } from "../registry/module-record.ts";
import type { LifecycleDeps } from "./lifecycle-deps.ts";
import { initializeModule, type Prepared } from "./prepare.ts";

/**
 * Starts a prepared module: initialize, register actions, compile, attach, and set it enabled or
 * disabled as the user last chose. A failure terminates the worker, frees the build and marks
 * the module failed; the error is rethrown.
 */
export async function startModule(
  deps: LifecycleDeps,
  record: ModuleRecord,
  prepared: Prepared,
): Promise<void> {
  const { core } = deps;
  core.setState(record, "loading");
  try {
    record.manifest = prepared.manifest;
    const handlers = await initializeModule(deps, record, prepared.worker, prepared.manifest);
    core.attach(record, prepared.worker, prepared.build, handlers);
    record.reason = null;
    record.failures = [];
    core.setState(record, record.wantEnabled ? "enabled" : "disabled");
    core.logger.info(`loaded ${record.name} ${prepared.manifest.version}`, { module: record.name });
  } catch (error) {
    await prepared.worker.terminate();
    await deps.builder.release(prepared.build);
    const e = asError(error);
    core.fail(record, e.message);
    throw e;
  }
}
