import { asError } from "../errors.ts";
import { loadOrder, orderError } from "../registry/module-graph.ts";
import { isLoadedState, serialise } from "../registry/module-record.ts";
import type { ModuleInfo } from "../stats/module-stats.ts";
import type { LifecycleDeps } from "./lifecycle-deps.ts";
import { type Prepared, prepareModule } from "./prepare.ts";
import { startModule } from "./start.ts";

/** What `loadAll` did: loaded, failed (with why), and still starting when it stopped waiting. */
export interface LoadAllResult {
  loaded: string[];
  failed: Array<{ module: string; error: string }>;
  starting: string[];
}

/** Runs at most `n` tasks at once. */
export function createLimiter(n: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async (task) => {
    if (running >= n) await new Promise<void>((r) => waiting.push(r));
    running++;
    try {
      return await task();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}

/**
 * Loads every registered module that is not loaded: all build and import in parallel; each starts
 * as soon as what it depends on has started, up to four at a time. With `waitMs`, resolves after
 * that long at the latest, listing the modules still starting (they go on in the background and
 * say when they are done).
 */
export async function loadAllModules(
  deps: LifecycleDeps,
  waitMs: number | undefined,
  info: (name: string) => ModuleInfo,
): Promise<LoadAllResult> {
  const { core } = deps;
  const pending = [...core.records.values()].filter((r) => !isLoadedState(r.state) && r.state !== "loading");
  const prepared = new Map<string, Prepared>();
  const result: LoadAllResult = { loaded: [], failed: [], starting: [] };
  const failed = (module: string, error: unknown) =>
    result.failed.push({ module, error: asError(error).message });
  await Promise.all(
    pending.map(async (record) => {
      try {
        prepared.set(record.name, await prepareModule(deps, record));
      } catch (error) {
        core.fail(record, asError(error).message);
        failed(record.name, error);
      }
    }),
  );
  const order = loadOrder(
    core.records.values(),
    [...prepared.values()].map((p) => p.manifest),
  );
  for (const [name, p] of prepared) {
    const refused = orderError(name, order);
    if (!refused) continue;
    prepared.delete(name);
    await p.worker.terminate();
    await deps.builder.release(p.build);
    core.fail(core.get(name), refused.message);
    failed(name, refused);
  }
  const started = new Map<string, Promise<void>>();
  const slots = createLimiter(4);
  for (const name of order.order) {
    const p = prepared.get(name);
    if (!p) continue;
    const record = core.get(name);
    const before = (order.after.get(name) ?? []).map((d) => started.get(d));
    started.set(
      name,
      Promise.all(before)
        .then(() => slots(() => serialise(record, () => startModule(deps, record, p))))
        .then(
          () => void result.loaded.push(name),
          (error) => void failed(name, error),
        ),
    );
  }
  const all = Promise.all(started.values());
  if (waitMs === undefined) {
    await all;
    return result;
  }
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([all, new Promise((r) => (timer = setTimeout(r, waitMs)))]);
  clearTimeout(timer);
  const settled = new Set([...result.loaded, ...result.failed.map((f) => f.module)]);
  result.starting = [...started.keys()].filter((n) => !settled.has(n));
  for (const name of result.starting) {
    void started.get(name)?.then(() => {
      const now = info(name);
      if (now.state === "failed") core.logger.error(`${name} did not start: ${now.reason}`, { module: name });
      else core.logger.info(`${name} is ready (it started after the others)`, { module: name });
    });
  }
  return { ...result, loaded: [...result.loaded], failed: [...result.failed] };
}
