import { getHeapStatistics } from "node:v8";
import { HEARTBEAT_SLOTS as SLOT } from "./protocol.ts";

/** How often the worker stamps its heartbeat, ms; memory figures are refreshed every tenth beat. */
const BEAT_MS = 100;
const MEMORY_EVERY = 10;

/**
 * The worker's side of the shared heartbeat the host's watchdog reads (layout: HEARTBEAT_SLOTS).
 * A timer stamps it while the event loop turns, and the event path stamps it each time it starts
 * the next entry, so a worker busy with a flood is seen making progress while one stuck in a loop
 * is not. It also says which batch entry and handler started last, so the host knows, when the
 * worker dies, which events were already being handled (never delivered again) and which not.
 */
export class Heartbeat {
  readonly #slots: BigInt64Array;

  constructor(buffer: SharedArrayBuffer) {
    this.#slots = new BigInt64Array(buffer);
    this.beat();
    this.#stampMemory();
    let beats = 0;
    setInterval(() => {
      this.beat();
      if (++beats % MEMORY_EVERY === 0) this.#stampMemory();
    }, BEAT_MS).unref();
  }

  /** The worker is making progress now. */
  beat(): void {
    Atomics.store(this.#slots, SLOT.beat, BigInt(Date.now()));
  }

  /** A batch arrived: none of its entries has started yet. */
  startBatch(seq: number): void {
    Atomics.store(this.#slots, SLOT.started, 0n);
    Atomics.store(this.#slots, SLOT.batch, BigInt(seq));
  }

  /** Entry `index` of the current batch starts, with handler `handlerId` first. */
  startEntry(index: number, handlerId: number): void {
    Atomics.store(this.#slots, SLOT.handler, BigInt(handlerId + 1));
    Atomics.store(this.#slots, SLOT.started, BigInt(index + 1));
    Atomics.store(this.#slots, SLOT.beat, BigInt(Date.now()));
  }

  #stampMemory(): void {
    Atomics.store(this.#slots, SLOT.heap, BigInt(getHeapStatistics().used_heap_size));
    const { external, arrayBuffers } = process.memoryUsage();
    Atomics.store(this.#slots, SLOT.external, BigInt(external + arrayBuffers));
  }
}
