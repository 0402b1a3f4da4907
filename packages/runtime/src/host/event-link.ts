import { type MessagePort, receiveMessageOnPort } from "node:worker_threads";
import { serializeError } from "../comlink/error-transfer.ts";
import {
  type HostApi,
  type HostPost,
  type PluginCall,
  HEARTBEAT_SLOTS as SLOT,
  type WorkerPost,
} from "../worker/protocol.ts";

interface PendingDelivery {
  batch: readonly string[];
  resolve: () => void;
  reject: (error: Error) => void;
}

/** What an {@link EventLink} needs from the worker handle it belongs to. */
export interface EventLinkOwner {
  /** The module's host API, or null while the worker is a spare. */
  hostApi(): HostApi | null;
  /** False once the worker is dead or stopping: answers are no longer posted. */
  listening(): boolean;
  /** The error a batch fails with when the worker died, saying how many entries had started. */
  diedError(started: number): Error;
}

/** The event whose handler started last (from the heartbeat's slots), for a death's log. */
export interface RunningEntry {
  eventId: string | null;
  handlerId: number;
}

/**
 * The host's end of a worker's event path (the worker's end is worker/event-port.ts): batches out
 * and their acknowledgements back, the module's plugin calls in and their answers out, handler
 * reports in. Kept off Comlink: a command's reply is two messages, one each way.
 */
export class EventLink {
  readonly #port: MessagePort;
  readonly #heartbeat: BigInt64Array;
  readonly #owner: EventLinkOwner;
  readonly #deliveries = new Map<number, PendingDelivery>();
  #seq = 0;

  constructor(port: MessagePort, heartbeat: BigInt64Array, owner: EventLinkOwner) {
    this.#port = port;
    this.#heartbeat = heartbeat;
    this.#owner = owner;
    port.on("message", (message: WorkerPost) => this.#receive(message));
  }

  /** Posts a batch (one JSON DeliveryEntry string each); resolves when the worker has started every entry. */
  deliver(batch: readonly string[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const seq = ++this.#seq;
      this.#deliveries.set(seq, { batch, resolve, reject });
      this.#port.postMessage([seq, batch] satisfies HostPost);
    });
  }

  /**
   * Reads what is still waiting on the port. The worker's exit arrives on another channel and can
   * overtake the acknowledgement of the batch whose handler ended it; without this, that batch would
   * look undelivered and be sent again to the next worker. On a planned stop it reads the reports
   * the worker sent before it answered `shutdown`.
   */
  drain(): void {
    for (
      let message = receiveMessageOnPort(this.#port);
      message;
      message = receiveMessageOnPort(this.#port)
    ) {
      this.#receive(message.message as WorkerPost);
    }
  }

  /** Which batch entry was being started when the worker stopped, and with which handler. */
  running(): RunningEntry | undefined {
    const seq = Number(Atomics.load(this.#heartbeat, SLOT.batch));
    const started = Number(Atomics.load(this.#heartbeat, SLOT.started));
    const handler = Number(Atomics.load(this.#heartbeat, SLOT.handler));
    const delivery = this.#deliveries.get(seq);
    if (!delivery || started === 0 || handler === 0) return undefined;
    let eventId: string | null = null;
    try {
      const entry = delivery.batch[started - 1];
      const id = entry === undefined ? undefined : (JSON.parse(entry) as { e?: { id?: unknown } }).e?.id;
      eventId = typeof id === "string" ? id : null;
    } catch {
      // a batch the host built itself is JSON; nothing to name otherwise
    }
    return { eventId, handlerId: handler - 1 };
  }

  /** Rejects every batch not acknowledged, saying how many of its entries had started. */
  failDeliveries(): void {
    const seq = Number(Atomics.load(this.#heartbeat, SLOT.batch));
    const started = Number(Atomics.load(this.#heartbeat, SLOT.started));
    for (const [pending, delivery] of this.#deliveries) {
      // Batches are sent one at a time: an earlier one than the worker's current was all started.
      const count = pending === seq ? started : pending < seq ? Number.MAX_SAFE_INTEGER : 0;
      delivery.reject(this.#owner.diedError(count));
    }
    this.#deliveries.clear();
  }

  /** What the worker sent in one turn: an acknowledgement, plugin calls, handler reports. */
  #receive(message: WorkerPost): void {
    if (message.a !== undefined) {
      const delivery = this.#deliveries.get(message.a);
      this.#deliveries.delete(message.a);
      delivery?.resolve();
    }
    const api = this.#owner.hostApi();
    if (!api) return;
    if (message.c) for (const call of message.c) this.#callPlugin(api, call);
    if (message.r !== undefined) {
      try {
        api.report(message.r);
      } catch (error) {
        // A port listener that throws would take the host down; a report it cannot read is logged.
        api.log("error", `unreadable handler reports: ${(error as Error).message}`, {});
      }
    }
  }

  /** Runs a module's plugin call and posts the answer back (unless the worker is gone by then). */
  #callPlugin(api: HostApi, [id, plugin, method, args]: PluginCall): void {
    const answer = (post: HostPost) => {
      if (!this.#owner.listening()) return;
      try {
        this.#port.postMessage(post);
      } catch (error) {
        // A plugin's answer that cannot be cloned: the module gets the reason instead.
        this.#port.postMessage({ c: id, e: serializeError(error) } satisfies HostPost);
      }
    };
    let result: Promise<unknown>;
    try {
      result = api.callPlugin(plugin, method, args);
    } catch (error) {
      result = Promise.reject(error);
    }
    result.then(
      (value) => answer({ c: id, v: value }),
      (error: unknown) => answer({ c: id, e: serializeError(error) }),
    );
  }
}
