import type { MessagePort } from "node:worker_threads";
import type { Remote } from "comlink";
import { deserializeError } from "../comlink/error-transfer.ts";
import type { HandlerRunner } from "./handler-runner.ts";
import type { Heartbeat } from "./heartbeat.ts";
import type { DeliveryEntry, HostPost, PluginAnswer, WorkerPost } from "./protocol.ts";

/**
 * How many handler runs may be in progress before the worker stops taking batches: past it, the
 * acknowledgement (the host's credit to send the next batch) waits until runs finish, and the
 * flood waits in the host's bounded, counted queue instead of this worker's memory.
 */
export const MAX_RUNNING = 1000;

/**
 * The worker's end of the event path, kept off Comlink. The host posts batches `[seq, entries]`
 * (one JSON DeliveryEntry string each); the worker starts every entry's handlers in the same turn,
 * stamping the heartbeat as each entry starts, then acknowledges `seq`. A handler that never
 * returns cannot hold the batch (the acknowledgement waits for starts, not finishes), and when the
 * worker dies mid-batch the heartbeat tells the host which entries had started.
 *
 * The modules' plugin calls (`ctx.twitch.sendMessage`) travel here too, with their answers: a
 * reply to a chat command is the event path's other half. A call leaves at once (a handler that
 * then blocks its thread has still said what it said), and carries the batch's acknowledgement
 * when the last entry has started: a reply then costs the worker one message, not two. Each
 * message costs both threads a wake-up, which is most of a reply's time on an idle machine.
 */
export class EventPort {
  readonly #port: MessagePort;
  readonly #runner: HandlerRunner;
  readonly #heartbeat: Heartbeat;
  /** The seq of a batch whose every entry has started, not yet acknowledged (0: none). */
  #ack = 0;
  #nextCall = 0;
  readonly #plugins = new Map<string, object>();
  readonly #waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();

  constructor(port: MessagePort, heartbeat: Heartbeat, runner: HandlerRunner) {
    this.#port = port;
    this.#heartbeat = heartbeat;
    this.#runner = runner;
    // Reports the runner flushes (an error or verdict on the next turn, plain runs within 20 ms if
    // no other message took them first, all before shutdown answers) leave at once.
    runner.sendReportsTo((json) => this.#post({ r: json }));
    port.on("message", (message: HostPost) => {
      if (Array.isArray(message)) this.#deliver(message[0], message[1]);
      else this.#answer(message);
    });
  }

  /** Calls a plugin method on the main thread; resolves with its answer. */
  call(plugin: string, method: string, args: unknown[]): Promise<unknown> {
    const id = ++this.#nextCall;
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      this.#post({ c: [[id, plugin, method, args]] });
    });
  }

  /** A plugin as a module reaches it (`ctx.twitch`): every method is a call on this port. */
  plugin<T>(name: string): Remote<T> {
    let facade = this.#plugins.get(name);
    if (!facade) {
      facade = this.#facade(name);
      this.#plugins.set(name, facade);
    }
    return facade as Remote<T>;
  }

  #facade(name: string): object {
    const methods = new Map<string, (...args: unknown[]) => Promise<unknown>>();
    return new Proxy(
      {},
      {
        get: (_target, method) => {
          // "then" is probed by `await`; a plugin is not a promise.
          if (typeof method !== "string" || method === "then") return undefined;
          let call = methods.get(method);
          if (!call) {
            call = (...args: unknown[]) => this.call(name, method, args);
            methods.set(method, call);
          }
          return call;
        },
      },
    );
  }

  #deliver(seq: number, batch: readonly string[]): void {
    this.#heartbeat.startBatch(seq);
    const entries = new Array<DeliveryEntry>(batch.length);
    for (let i = 0; i < batch.length; i++) entries[i] = JSON.parse(batch[i]!) as DeliveryEntry;
    const last = entries.length - 1;
    this.#runner.deliver(entries, (index, handlerId) => {
      this.#heartbeat.startEntry(index, handlerId);
      // Every entry has started: the first plugin call from here on carries the acknowledgement.
      if (index === last && this.#runner.running < MAX_RUNNING) this.#ack = seq;
    });
    this.#heartbeat.beat();
    if (this.#ack === seq) this.#post({});
    else if (this.#ack !== -seq) {
      if (this.#runner.running < MAX_RUNNING) this.#acknowledge(seq);
      else void this.#runner.whenBelow(MAX_RUNNING).then(() => this.#acknowledge(seq));
    }
  }

  #acknowledge(seq: number): void {
    this.#ack = seq;
    this.#post({});
  }

  #answer(answer: PluginAnswer): void {
    const waiting = this.#waiting.get(answer.c);
    if (!waiting) return;
    this.#waiting.delete(answer.c);
    if (answer.e) waiting.reject(deserializeError(answer.e));
    else waiting.resolve(answer.v);
  }

  /**
   * Posts `message` with the acknowledgement waiting, if any (then marked sent as `-seq`), and the
   * handler reports gathered so far.
   */
  #post(message: WorkerPost): void {
    if (this.#ack > 0) {
      message.a = this.#ack;
      this.#ack = -this.#ack;
    }
    if (message.r === undefined) {
      const reports = this.#runner.takeReports();
      if (reports !== null) message.r = reports;
    }
    if (message.a === undefined && message.c === undefined && message.r === undefined) return;
    try {
      this.#port.postMessage(message);
    } catch (error) {
      // An argument that cannot be cloned (a function, an object with private state): the call
      // fails with the reason; the acknowledgement still goes.
      for (const [id] of message.c ?? []) {
        this.#waiting.get(id)?.reject(error as Error);
        this.#waiting.delete(id);
      }
      delete message.c;
      if (message.a !== undefined || message.r !== undefined) this.#port.postMessage(message);
    }
  }
}
