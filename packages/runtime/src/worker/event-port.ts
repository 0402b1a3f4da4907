import type { MessagePort } from "node:worker_threads";
import type { DeliveryEntry } from "./protocol.ts";

/**
 * The event path, kept off Comlink: the host posts `[seq, batch]`, the worker acknowledges `seq`
 * first (so a handler that never returns cannot hold the batch, and the host never delivers it
 * twice), then hands the parsed entries to `deliver` in the same turn.
 */
export function listenForEvents(port: MessagePort, deliver: (entries: DeliveryEntry[]) => void): void {
  port.on("message", ([seq, batch]: [number, string]) => {
    port.postMessage(seq);
    deliver(JSON.parse(batch) as DeliveryEntry[]);
  });
}
