import type { ModuleRecord } from "../registry/module-record.ts";

/**
 * Resolves true once the module has nothing to do: its queue empty, no batch out, no handler
 * running (a `serial` handler's waiting runs count as running; the worker says so in `health()`);
 * false after `timeoutMs`. Polls every 10 ms: idleness is a condition across two threads.
 */
export async function whenIdle(get: () => ModuleRecord, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const record = get();
    const worker = record.worker;
    let busy = record.queue.length > 0 || record.queue.inFlight || record.state === "restarting";
    if (!busy && worker && !worker.dead) {
      const health = await worker
        .call((api) => api.health(), Math.max(1, deadline - Date.now()))
        .catch(() => null);
      busy = health === null || health.running > 0;
    }
    if (!busy) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
