import { MessagePort } from "node:worker_threads";

/** Running totals of the host's deliveries into module workers. */
export interface DeliveryCounter {
  /** Cross-thread `deliver` messages since the counter was made. */
  readonly messages: number;
  /** Events those messages carried. */
  readonly events: number;
  stop(): void;
}

const active = new Set<{ messages: number; events: number }>();
let installed = false;

/**
 * Wraps `MessagePort.prototype.postMessage` so the bench can count the host's deliveries into
 * module workers (`[seq, batch]` on a worker's event port) and the events each carries (one JSON
 * entry per string of the batch). run.ts calls it before any host starts. Costs one check per message when not
 * counting.
 */
export function installDeliveryCounter(): void {
  if (installed) return;
  installed = true;
  const original = MessagePort.prototype.postMessage;
  MessagePort.prototype.postMessage = function (this: MessagePort, value: unknown, transfer?: never) {
    if (active.size > 0 && Array.isArray(value) && value.length === 2 && Array.isArray(value[1])) {
      const events = value[1].length;
      for (const counter of active) {
        counter.messages++;
        counter.events += events;
      }
    }
    return original.call(this, value, transfer);
  } as typeof MessagePort.prototype.postMessage;
}

/** Starts counting deliveries (see {@link installDeliveryCounter}). */
export function countDeliveries(): DeliveryCounter {
  if (!installed) throw new Error("installDeliveryCounter() must run before any host starts");
  const counter = { messages: 0, events: 0, stop: () => active.delete(counter) };
  active.add(counter);
  return counter;
}
