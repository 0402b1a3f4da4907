import type { MessagePort } from "node:worker_threads";
import { splitBatch } from "../bus/delivery-entry.ts";
import type { HandlerRunner } from "./handler-runner.ts";
import type { Heartbeat } from "./heartbeat.ts";
import type { DeliveryEntry } from "./protocol.ts";

/**
 * How many handler runs may be in progress before the worker stops taking batches: past it, the
 * acknowledgement (the host's credit to send the next batch) waits until runs finish, and the
 * flood waits in the host's bounded, counted queue instead of this worker's memory.
 */
export const MAX_RUNNING = 1000;

/**
 * The event path, kept off Comlink: the host posts `[seq, batch]` (one JSON DeliveryEntry per
 * line); the worker starts every entry's handlers in the same turn, stamping the heartbeat as
 * each entry starts, then acknowledges `seq`. A handler that never returns cannot hold the batch
 * (the acknowledgement waits for starts, not finishes), and when the worker dies mid-batch the
 * heartbeat tells the host which entries had started. Handler reports go back on the same port
 * as a JSON string, one way (see {@link HandlerRunner.sendReportsTo}).
 */
export function listenForEvents(port: MessagePort, heartbeat: Heartbeat, runner: HandlerRunner): void {
  runner.sendReportsTo((json) => port.postMessage(json));
  port.on("message", ([seq, batch]: [number, string]) => {
    heartbeat.startBatch(seq);
    const lines = splitBatch(batch);
    const entries = new Array<DeliveryEntry>(lines.length);
    for (let i = 0; i < lines.length; i++) entries[i] = JSON.parse(lines[i]!) as DeliveryEntry;
    runner.deliver(entries, (index, handlerId) => heartbeat.startEntry(index, handlerId));
    heartbeat.beat();
    if (runner.running < MAX_RUNNING) port.postMessage(seq);
    else void runner.whenBelow(MAX_RUNNING).then(() => port.postMessage(seq));
  });
}
