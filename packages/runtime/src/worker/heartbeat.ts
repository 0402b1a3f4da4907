import { getHeapStatistics } from "node:v8";

/** How often the worker stamps its heartbeat, ms; the heap figure is refreshed every tenth beat. */
const BEAT_MS = 100;
const HEAP_EVERY = 10;

/**
 * Stamps the shared heartbeat the host's watchdog reads: slot 0 is `Date.now()` while the event
 * loop turns (a blocked loop stops stamping it), slot 1 the used heap in bytes. The timer is
 * unref'd, so it never keeps the worker alive on its own.
 */
export function startHeartbeat(buffer: SharedArrayBuffer): void {
  const slots = new BigInt64Array(buffer);
  const stampHeap = () => Atomics.store(slots, 1, BigInt(getHeapStatistics().used_heap_size));
  Atomics.store(slots, 0, BigInt(Date.now()));
  stampHeap();
  let beats = 0;
  setInterval(() => {
    Atomics.store(slots, 0, BigInt(Date.now()));
    if (++beats % HEAP_EVERY === 0) stampHeap();
  }, BEAT_MS).unref();
}
