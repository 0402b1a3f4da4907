import type { HostLogger } from "../logger.ts";
import type { CompiledHandler, ModuleRecord } from "../registry/module-record.ts";
import type { Publish } from "../registry/registry-core.ts";
import type { HandlerReport } from "../worker/protocol.ts";

/**
 * Takes a worker's batch of handler reports, read against that worker's own handler table:
 * counts runs and latency, logs and publishes errors (`system.handler.error`, except for handlers
 * of that event itself, which would loop), and settles the cooldowns the host held for events whose
 * function triggers answered in the worker (rejected: given back; a gated event's verdict: taken
 * or not). Those outcome reports are not runs.
 */
export function acceptReports(
  record: ModuleRecord,
  handlers: readonly CompiledHandler[],
  reports: readonly HandlerReport[],
  logger: HostLogger,
  publish: Publish,
): void {
  const module = record.name;
  for (const report of reports) {
    const [id, ms, eventId, error] = report;
    const skipped = report[4];
    if (skipped) {
      handlers[id]?.triggers.release(skipped.userId, skipped.match as never);
      continue;
    }
    record.eventsHandled++;
    record.latency.add(ms);
    if (!error) continue;
    const handler = handlers[id]?.info;
    record.errors++;
    record.lastError = { message: error.message, handler: handler?.name ?? null, at: Date.now() };
    logger.error(`handler failed: ${error.message}`, {
      module,
      handler: handler?.name,
      event: handler?.type,
      eventId,
      code: error.code,
      stack: error.stack,
    });
    if (handler?.type !== "system.handler.error") {
      publish("system.handler.error", {
        module,
        handler: handler?.name ?? String(id),
        eventId,
        eventType: handler?.type ?? "unknown",
        error: { code: error.code, message: error.message, stack: error.stack },
      });
    }
  }
}
