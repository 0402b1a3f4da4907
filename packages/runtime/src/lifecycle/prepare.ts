import { type ModuleManifest, StarStreamerError } from "starstreamer/internal";
import type { ModuleBuild } from "../build/module-builder.ts";
import { RuntimeErrorCodes } from "../errors.ts";
import type { ModuleWorker } from "../host/module-worker.ts";
import { unmetNeeds } from "../registry/module-graph.ts";
import type { CompiledHandler, ModuleRecord } from "../registry/module-record.ts";
import { compileTriggers } from "../triggers/index.ts";
import type { HandlerInfo } from "../worker/protocol.ts";
import type { LifecycleDeps } from "./lifecycle-deps.ts";

/** A built module imported into a fresh worker, not started yet. */
export interface Prepared {
  worker: ModuleWorker;
  build: ModuleBuild;
  manifest: ModuleManifest;
}

/**
 * Builds the module and imports it into a fresh worker (or the warm spare); returns
 * the worker and its checked manifest. The worker boots while esbuild builds. On failure nothing is
 * left behind (worker terminated, build released).
 */
export async function prepareModule(
  deps: LifecycleDeps,
  record: ModuleRecord,
  reuse?: ModuleBuild,
): Promise<Prepared> {
  const worker = deps.takeSpare(record) ?? deps.spawn(record);
  let build: ModuleBuild;
  try {
    build = reuse ?? (await deps.builder.build(record.name, record.dir));
  } catch (error) {
    await worker.terminate();
    throw error;
  }
  try {
    const binding = worker.binding;
    if (!binding) {
      throw new StarStreamerError(RuntimeErrorCodes.MODULE_STATE, `${record.name}: the worker has no module`);
    }
    const manifest = await worker.call((api) => api.load(build.url, binding), deps.limits.timeouts.load);
    if (manifest.name !== record.name) {
      throw new StarStreamerError(
        RuntimeErrorCodes.MODULE_EXPORT_INVALID,
        `the module in folder "${record.name}" is named "${manifest.name}": a module's name must match its folder`,
      );
    }
    return { worker, build, manifest };
  } catch (error) {
    await worker.terminate();
    if (!reuse) await deps.builder.release(build);
    throw error;
  }
}

/**
 * Checks the module's needs, runs initialize + registerActions in the prepared worker and
 * compiles its handler table (the health check of a new worker).
 */
export async function initializeModule(
  deps: LifecycleDeps,
  record: ModuleRecord,
  worker: ModuleWorker,
  manifest: ModuleManifest,
): Promise<CompiledHandler[]> {
  const unmet = unmetNeeds(manifest, deps.core.records.values());
  if (unmet) throw unmet;
  const table = await worker.call(
    (api) => api.start(deps.settings(record.name).config),
    deps.limits.timeouts.start,
  );
  const compiled = compileTable(deps, record.name, table);
  deps.core.tables.set(worker, compiled);
  return compiled;
}

/** Checks a handler table is well-formed and compiles its triggers. */
export function compileTable(
  deps: Pick<LifecycleDeps, "core" | "commandPrefix">,
  module: string,
  table: HandlerInfo[],
): CompiledHandler[] {
  if (!Array.isArray(table)) {
    throw new StarStreamerError(
      RuntimeErrorCodes.WORKER_UNHEALTHY,
      `${module}: the worker returned no handler table`,
    );
  }
  return table.map((info, index) => {
    if (
      info.id !== index ||
      typeof info.type !== "string" ||
      typeof info.name !== "string" ||
      !Array.isArray(info.triggers)
    ) {
      throw new StarStreamerError(
        RuntimeErrorCodes.WORKER_UNHEALTHY,
        `${module}: handler ${index} is malformed`,
      );
    }
    return {
      info,
      triggers: compileTriggers(info.triggers, {
        prefix: deps.commandPrefix,
        key: `${module}:${info.name}`,
        cooldowns: deps.core.cooldowns,
      }),
    };
  });
}
