import { MessageChannel, type MessagePort, Worker } from "node:worker_threads";
import * as Comlink from "comlink";
import nodeEndpoint from "comlink/dist/esm/node-adapter.mjs";
import { StarStreamerError } from "starstreamer";
import { installErrorTransfer } from "../comlink/error-transfer.ts";
import { RuntimeErrorCodes } from "../errors.ts";
import {
  HEARTBEAT_BYTES,
  type HostApi,
  type ModuleWorkerApi,
  type ModuleWorkerData,
  HEARTBEAT_SLOTS as SLOT,
  type WorkerBinding,
} from "../worker/protocol.ts";
import { EventLink, type RunningEntry } from "./event-link.ts";
import { forwardTo } from "./forward-to.ts";
import { workerEnv } from "./worker-env.ts";

/** Why a worker stopped without being asked to. */
export interface WorkerDeath {
  reason: "crashed" | "exited" | "out-of-memory" | "watchdog";
  message: string;
  /** The event whose handler started last when it died (that event is not delivered again). */
  running?: RunningEntry | undefined;
}

/** How long a new worker may take to boot (start its runtime) before the watchdog counts it stalled. */
const BOOT_ALLOWANCE_MS = 30_000;

/** How one module worker is started. */
export interface ModuleWorkerOptions {
  workerUrl: URL;
  databaseEntryUrl: string;
  dataDir: string;
  /** The module it runs, or null for a spare worker bound later ({@link ModuleWorker.bind}). */
  bind: ModuleWorkerBinding | null;
  maxHeapMb: number;
  /** Environment variables the worker may read besides NODE_ENV and TZ. */
  env?: readonly string[];
}

/** The module a worker runs and the host API that module's worker calls. */
export interface ModuleWorkerBinding extends WorkerBinding {
  hostApi: HostApi;
}

/**
 * The host's handle on one module worker: its Comlink proxy, its heartbeat and its death.
 * Every call goes through `call`, which rejects with SS_WORKER_DIED when the worker dies and
 * SS_WORKER_TIMEOUT when it does not answer, since Comlink itself would wait forever.
 */
export class ModuleWorker {
  readonly api: Comlink.Remote<ModuleWorkerApi>;
  readonly #worker: Worker;
  readonly #hostPort: MessagePort;
  readonly #eventPort: MessagePort;
  readonly #events: EventLink;
  readonly #maxMemoryMb: number;
  readonly #spawnedAt: number;
  readonly #heartbeat: BigInt64Array;
  /** How to fail each call still waiting for an answer (when the worker dies). */
  readonly #pendingCalls = new Set<(error: Error) => void>();
  #death: WorkerDeath | null = null;
  #stopping = false;
  #deathListeners = new Set<(death: WorkerDeath) => void>();
  #lastError: Error | null = null;
  #terminated: Promise<void> | null = null;
  #binding: ModuleWorkerBinding | null = null;

  constructor(options: ModuleWorkerOptions) {
    installErrorTransfer();
    this.#maxMemoryMb = options.maxHeapMb;
    const heartbeat = new SharedArrayBuffer(HEARTBEAT_BYTES);
    this.#heartbeat = new BigInt64Array(heartbeat);
    // 0 until the worker's own first beat: a booting worker is judged by BOOT_ALLOWANCE_MS.
    this.#spawnedAt = Date.now();
    const { port1, port2 } = new MessageChannel();
    const events = new MessageChannel();
    const workerData: ModuleWorkerData = {
      hostPort: port2,
      eventPort: events.port2,
      heartbeat,
      databaseEntryUrl: options.databaseEntryUrl,
      dataDir: options.dataDir,
    };
    this.#worker = new Worker(options.workerUrl, {
      name: options.bind ? `module:${options.bind.module}` : "module:spare",
      workerData,
      transferList: [port2, events.port2],
      resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb },
      env: workerEnv(options.env),
      execArgv: [],
    });
    this.#hostPort = port1;
    this.#eventPort = events.port1;
    this.#events = new EventLink(this.#eventPort, this.#heartbeat, {
      hostApi: () => this.#binding?.hostApi ?? null,
      listening: () => !this.#death && !this.#stopping,
      diedError: (started) => this.#diedError(started),
    });
    // The host API is looked up per call: a spare worker gets its module's API when it is bound.
    Comlink.expose(
      forwardTo(() => this.#binding?.hostApi ?? null),
      nodeEndpoint(port1),
    );
    if (options.bind) this.bind(options.bind);
    this.api = Comlink.wrap<ModuleWorkerApi>(nodeEndpoint(this.#worker));
    this.#worker.on("error", (error: Error & { code?: string }) => {
      this.#lastError = error;
    });
    this.#worker.on("exit", (code) => this.#onExit(code));
  }

  get dead(): boolean {
    return this.#death !== null;
  }

  /** The module this worker runs ("(spare)" until it is bound). */
  get module(): string {
    return this.#binding?.module ?? "(spare)";
  }

  /** What `load` tells the worker about its module; null for a spare worker not bound yet. */
  get binding(): WorkerBinding | null {
    return this.#binding ? { module: this.#binding.module, deadlineMs: this.#binding.deadlineMs } : null;
  }

  /**
   * Whether this worker keeps the process alive. A spare does not: a bot with no module left must
   * still exit; the module that takes it makes it count again.
   */
  keepsProcessAlive(on: boolean): void {
    for (const handle of [this.#worker, this.#hostPort, this.#eventPort]) {
      if (on) handle.ref();
      else handle.unref();
    }
  }

  /** Binds a spare worker to its module: from now on its calls reach that module's host API. */
  bind(binding: ModuleWorkerBinding): void {
    if (this.#binding) {
      throw new StarStreamerError(
        RuntimeErrorCodes.MODULE_STATE,
        `this worker already runs ${this.#binding.module}; it cannot run ${binding.module}`,
      );
    }
    this.#binding = binding;
  }

  /** Milliseconds since the worker's event loop last turned. */
  stalledFor(now = Date.now()): number {
    const beat = Number(Atomics.load(this.#heartbeat, SLOT.beat));
    // A busy machine boots threads slowly: until its first beat a worker gets its own allowance.
    if (beat === 0) return Math.max(0, now - this.#spawnedAt - BOOT_ALLOWANCE_MS);
    return now - beat;
  }

  /** The worker's V8 heap in use, MB, as it last stamped it (about once a second). */
  get heapUsedMb(): number {
    return Number(Atomics.load(this.#heartbeat, SLOT.heap)) / 1048576;
  }

  /** External and ArrayBuffer memory (Buffers) of the worker, MB, as it last stamped it. */
  get externalMb(): number {
    return Number(Atomics.load(this.#heartbeat, SLOT.external)) / 1048576;
  }

  /**
   * Why the worker is over its memory cap, or null. The V8 heap is capped by the engine; Buffers
   * and ArrayBuffers live outside it, so they are held to the same cap here.
   */
  overMemory(): string | null {
    const mb = this.externalMb;
    return mb > this.#maxMemoryMb
      ? `holds ${Math.round(mb)} MB of Buffers/ArrayBuffers outside its heap, over its ${this.#maxMemoryMb} MB cap`
      : null;
  }

  /** Called once if the worker dies without `terminate` (crash, exit, OOM, watchdog). */
  onDeath(listener: (death: WorkerDeath) => void): () => void {
    this.#deathListeners.add(listener);
    return () => this.#deathListeners.delete(listener);
  }

  /**
   * Calls the worker; rejects if it dies first or takes longer than `timeoutMs`. Each call holds
   * only its own entry while it waits (racing a shared "died" promise left one reaction on it per
   * call for the worker's whole life: 325 bytes per service call, without bound).
   */
  call<T>(fn: (api: Comlink.Remote<ModuleWorkerApi>) => Promise<T> | T, timeoutMs?: number): Promise<T> {
    if (this.#death) return Promise.reject(this.#diedError());
    return new Promise<T>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const done = () => {
        clearTimeout(timer);
        this.#pendingCalls.delete(fail);
      };
      const fail = (error: Error) => {
        done();
        reject(error);
      };
      this.#pendingCalls.add(fail);
      if (timeoutMs !== undefined) {
        timer = setTimeout(
          () =>
            fail(
              new StarStreamerError(
                RuntimeErrorCodes.WORKER_TIMEOUT,
                `${this.module}: the worker did not answer within ${timeoutMs} ms`,
              ),
            ),
          timeoutMs,
        );
      }
      let answer: Promise<T> | T;
      try {
        answer = fn(this.api);
      } catch (error) {
        fail(error as Error);
        return;
      }
      Promise.resolve(answer).then(
        (value) => {
          done();
          resolve(value);
        },
        (error: unknown) => fail(error as Error),
      );
    });
  }

  /** Fails every call still waiting: the worker is gone. */
  #failCalls(): void {
    const error = this.#diedError();
    for (const fail of [...this.#pendingCalls]) fail(error);
  }

  /**
   * Hands a batch (one JSON DeliveryEntry string each) to the worker; resolves when the worker has started
   * every entry of it. If the worker dies first it rejects with SS_WORKER_DIED whose
   * `data.started` says how many entries had started (those are never delivered again).
   */
  deliver(batch: readonly string[]): Promise<void> {
    if (this.#death) return Promise.reject(this.#diedError(0));
    return this.#events.deliver(batch);
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
      if (!this.#death) this.#events.drain();
      this.#hostPort.close();
      this.#eventPort.close();
      this.api[Comlink.releaseProxy]?.();
      await this.#worker.terminate();
    })();
    return this.#terminated;
  }

  #diedError(started?: number): StarStreamerError {
    return new StarStreamerError(
      RuntimeErrorCodes.WORKER_DIED,
      `${this.module}: the worker ${this.#death?.reason ?? "stopped"}: ${this.#death?.message ?? "terminated"}`,
      {
        data: {
          module: this.module,
          reason: this.#death?.reason ?? "terminated",
          ...(started === undefined ? {} : { started }),
        },
      },
    );
  }

  #onExit(code: number): void {
    if (!this.#stopping) this.#events.drain();
    this.#hostPort.close();
    this.#eventPort.close();
    if (this.#stopping) {
      if (!this.#death) {
        this.#death = { reason: "exited", message: "terminated by the host" };
        this.#failCalls();
        this.#events.failDeliveries();
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
    this.#death = { ...death, running: this.#events.running() };
    this.#failCalls();
    this.#events.failDeliveries();
    for (const listener of this.#deathListeners) listener(this.#death);
  }
}
