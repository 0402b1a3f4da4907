import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from "node:worker_threads";
import * as Comlink from "comlink";
import nodeEndpoint from "comlink/dist/esm/node-adapter.mjs";
import { StarStreamerError } from "starstreamer";
import { installErrorTransfer } from "../comlink/error-transfer.ts";
import { RuntimeErrorCodes } from "../errors.ts";
import type { HostApi, ModuleWorkerApi, ModuleWorkerData } from "../worker/protocol.ts";

/** Why a worker stopped without being asked to. */
export interface WorkerDeath {
  reason: "crashed" | "exited" | "out-of-memory" | "watchdog";
  message: string;
}

/** How one module worker is started. */
export interface ModuleWorkerOptions {
  module: string;
  workerUrl: URL;
  databaseEntryUrl: string;
  dataDir: string;
  hostApi: HostApi;
  maxHeapMb: number;
  deadlineMs: number;
  /** Environment variables the worker may read besides NODE_ENV and TZ. */
  env?: readonly string[];
}

/** Always passed to workers: they change how code behaves but carry no secret. */
const BASE_ENV = ["NODE_ENV", "TZ"];

/**
 * The environment a module worker sees: only the allowed keys that are set. Workers would
 * otherwise share the host's `process.env`, tokens from `.env` included.
 */
export function workerEnv(
  allowed: readonly string[] = [],
  source: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of [...BASE_ENV, ...allowed]) {
    const value = source[key];
    if (value !== undefined) env[key] = value;
  }
  return env;
}

/**
 * The host's handle on one module worker: its Comlink proxy, its heartbeat and its death.
 * Every call goes through `call`, which rejects with SS_WORKER_DIED when the worker dies and
 * SS_WORKER_TIMEOUT when it does not answer, since Comlink itself would wait forever.
 */
export class ModuleWorker {
  readonly module: string;
  readonly api: Comlink.Remote<ModuleWorkerApi>;
  readonly #worker: Worker;
  readonly #hostPort: MessagePort;
  readonly #eventPort: MessagePort;
  readonly #acks = new Map<number, () => void>();
  #seq = 0;
  readonly #heartbeat: BigInt64Array;
  readonly #died: Promise<never>;
  #death: WorkerDeath | null = null;
  #stopping = false;
  #rejectDied!: (error: Error) => void;
  #deathListeners = new Set<(death: WorkerDeath) => void>();
  #lastError: Error | null = null;
  #terminated: Promise<void> | null = null;

  constructor(options: ModuleWorkerOptions) {
    installErrorTransfer();
    this.module = options.module;
    // Slot 0: last turn of the worker's event loop (ms); slot 1: its V8 heap in use (bytes).
    const heartbeat = new SharedArrayBuffer(16);
    this.#heartbeat = new BigInt64Array(heartbeat);
    Atomics.store(this.#heartbeat, 0, BigInt(Date.now()));
    const { port1, port2 } = new MessageChannel();
    const events = new MessageChannel();
    const workerData: ModuleWorkerData = {
      moduleName: options.module,
      hostPort: port2,
      eventPort: events.port2,
      heartbeat,
      databaseEntryUrl: options.databaseEntryUrl,
      dataDir: options.dataDir,
      deadlineMs: options.deadlineMs,
    };
    this.#worker = new Worker(options.workerUrl, {
      name: `module:${options.module}`,
      workerData,
      transferList: [port2, events.port2],
      resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb },
      env: workerEnv(options.env),
      execArgv: [],
    });
    this.#hostPort = port1;
    this.#eventPort = events.port1;
    this.#eventPort.on("message", (seq: number) => this.#acknowledge(seq));
    Comlink.expose(options.hostApi, nodeEndpoint(port1));
    this.api = Comlink.wrap<ModuleWorkerApi>(nodeEndpoint(this.#worker));
    this.#died = new Promise<never>((_, reject) => {
      this.#rejectDied = reject;
    });
    this.#died.catch(() => {});
    this.#worker.on("error", (error: Error & { code?: string }) => {
      this.#lastError = error;
    });
    this.#worker.on("exit", (code) => this.#onExit(code));
  }

  get dead(): boolean {
    return this.#death !== null;
  }

  /** Milliseconds since the worker's event loop last turned. */
  stalledFor(now = Date.now()): number {
    return now - Number(Atomics.load(this.#heartbeat, 0));
  }

  /** The worker's V8 heap in use, MB, as it last stamped it (about once a second). */
  get heapUsedMb(): number {
    return Number(Atomics.load(this.#heartbeat, 1)) / 1048576;
  }

  /** Called once if the worker dies without `terminate` (crash, exit, OOM, watchdog). */
  onDeath(listener: (death: WorkerDeath) => void): () => void {
    this.#deathListeners.add(listener);
    return () => this.#deathListeners.delete(listener);
  }

  /** Calls the worker; rejects if it dies first or takes longer than `timeoutMs`. */
  call<T>(fn: (api: Comlink.Remote<ModuleWorkerApi>) => Promise<T> | T, timeoutMs?: number): Promise<T> {
    if (this.#death) return Promise.reject(this.#diedError());
    const racers: Array<Promise<T>> = [Promise.resolve(fn(this.api)) as Promise<T>, this.#died];
    let timer: NodeJS.Timeout | undefined;
    if (timeoutMs !== undefined) {
      racers.push(
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () =>
              reject(
                new StarStreamerError(
                  RuntimeErrorCodes.WORKER_TIMEOUT,
                  `${this.module}: the worker did not answer within ${timeoutMs} ms`,
                ),
              ),
            timeoutMs,
          );
        }),
      );
    }
    return Promise.race(racers).finally(() => clearTimeout(timer));
  }

  /**
   * Hands a batch (JSON of DeliveryEntry[]) to the worker; resolves when the worker has it, rejects
   * with SS_WORKER_DIED if it dies first.
   */
  deliver(batch: string): Promise<void> {
    return this.call(
      () =>
        new Promise<void>((resolve) => {
          const seq = ++this.#seq;
          this.#acks.set(seq, resolve);
          this.#eventPort.postMessage([seq, batch]);
        }),
    );
  }

  /** Kills the worker because its event loop is blocked; reported as a death. */
  kill(reason: WorkerDeath["reason"], message: string): void {
    if (this.#death || this.#stopping) return;
    this.#markDead({ reason, message });
    void this.#worker.terminate();
  }

  /** Stops the worker on purpose; not a death. Idempotent. */
  terminate(): Promise<void> {
    this.#terminated ??= (async () => {
      this.#stopping = true;
      this.#hostPort.close();
      this.#eventPort.close();
      this.api[Comlink.releaseProxy]?.();
      await this.#worker.terminate();
    })();
    return this.#terminated;
  }

  #acknowledge(seq: number): void {
    const ack = this.#acks.get(seq);
    this.#acks.delete(seq);
    ack?.();
  }

  /**
   * Reads acknowledgements still waiting on the event port. The worker's exit arrives on another
   * channel and can overtake the acknowledgement of the batch whose handler ended it; without
   * this, that batch would look undelivered and be sent again to the next worker.
   */
  #drainAcks(): void {
    for (
      let message = receiveMessageOnPort(this.#eventPort);
      message;
      message = receiveMessageOnPort(this.#eventPort)
    ) {
      this.#acknowledge(message.message as number);
    }
  }

  #diedError(): StarStreamerError {
    return new StarStreamerError(
      RuntimeErrorCodes.WORKER_DIED,
      `${this.module}: the worker ${this.#death?.reason ?? "stopped"}: ${this.#death?.message ?? "terminated"}`,
      { data: { module: this.module, reason: this.#death?.reason ?? "terminated" } },
    );
  }

  #onExit(code: number): void {
    if (!this.#stopping) this.#drainAcks();
    this.#hostPort.close();
    this.#eventPort.close();
    if (this.#stopping) {
      if (!this.#death) {
        this.#death = { reason: "exited", message: "terminated by the host" };
        this.#rejectDied(this.#diedError());
      }
      return;
    }
    if (this.#death) return;
    const error = this.#lastError as (Error & { code?: string }) | null;
    if (error?.code === "ERR_WORKER_OUT_OF_MEMORY") {
      this.#markDead({ reason: "out-of-memory", message: `ran out of memory (heap limit reached)` });
    } else if (error) {
      this.#markDead({ reason: "crashed", message: `uncaught ${error.name}: ${error.message}` });
    } else {
      this.#markDead({ reason: "exited", message: `exited with code ${code}` });
    }
  }

  #markDead(death: WorkerDeath): void {
    this.#death = death;
    this.#rejectDied(this.#diedError());
    for (const listener of this.#deathListeners) listener(death);
  }
}
