import { Worker } from "node:worker_threads";

/** Running totals of the host's `deliver` calls into module workers. */
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
 * Wraps `Worker.prototype.postMessage` so the bench can count the host's `deliver` messages
 * (Comlink APPLY on path ["deliver"]) and the events each carries (a string scan, no parse).
 * Comlink's node adapter binds `postMessage` when a worker is wrapped, so this must run before
 * any host starts; run.ts calls it first. Costs one property check per message when not counting.
 */
export function installDeliveryCounter(): void {
  if (installed) return;
  installed = true;
  const original = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (this: Worker, value: unknown, transfer?: never) {
    if (active.size > 0) {
      const message = value as { path?: string[]; argumentList?: Array<{ value?: unknown }> } | null;
      if (message?.path?.[0] === "deliver") {
        const batch = message.argumentList?.[0]?.value;
        let events = 0;
        if (typeof batch === "string") {
          for (let at = batch.indexOf('{"e":'); at >= 0; at = batch.indexOf('{"e":', at + 5)) events++;
        }
        for (const counter of active) {
          counter.messages++;
          counter.events += events;
        }
      }
    }
    return original.call(this, value, transfer);
  } as typeof Worker.prototype.postMessage;
}

/** Starts counting deliveries (see {@link installDeliveryCounter}). */
export function countDeliveries(): DeliveryCounter {
  if (!installed) throw new Error("installDeliveryCounter() must run before any host starts");
  const counter = { messages: 0, events: 0, stop: () => active.delete(counter) };
  active.add(counter);
  return counter;
}
