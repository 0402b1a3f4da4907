import type { MessagePort } from "node:worker_threads";
import type { Remote } from "comlink";
import type { CommandInfo } from "starstreamer";
import type {
  LogLevel,
  ModuleManifest,
  ObsPluginApi,
  TriggerDescriptor,
  TriggerMatchInfo,
  TwitchPluginApi,
} from "starstreamer/internal";
import type { SerializedError } from "../comlink/error-transfer.ts";
import type { CooldownGate } from "../triggers/cooldown-gate.ts";

/**
 * The shared slots (BigInt64) a worker stamps and the host reads without a message: the one layout
 * both sides use. `beat`: Date.now() whenever the worker makes progress (its event loop turns, or
 * it starts the next delivered entry); `heap`, `external`: V8 heap in use and external plus
 * ArrayBuffer memory, bytes; `batch`: the seq of the batch being started; `started`: how many of
 * its entries have started; `handler`: id + 1 of the handler started last (0: none).
 */
export const HEARTBEAT_SLOTS = { beat: 0, heap: 1, external: 2, batch: 3, started: 4, handler: 5 } as const;
/** Size of the heartbeat buffer, bytes. */
export const HEARTBEAT_BYTES = 8 * 8;

/**
 * What the host passes to a module worker at spawn. Nothing here names the module: a spare worker
 * boots before the host knows which module it will run ({@link WorkerBinding} comes with `load`).
 */
export interface ModuleWorkerData {
  /** The port the worker calls the host on (Comlink); the host calls the worker on parentPort. */
  hostPort: MessagePort;
  /**
   * The event path, kept off Comlink ({@link HostPost}, {@link WorkerPost}): batches of events,
   * their acknowledgements, handler reports, and the modules' plugin calls with their answers.
   */
  eventPort: MessagePort;
  /** One BigInt64 slot the worker stamps with Date.now() while its event loop turns (watchdog). */
  heartbeat: SharedArrayBuffer;
  /** URL of the built storage entry, imported only by modules that use a database. */
  databaseEntryUrl: string;
  dataDir: string;
}

/** Which module a worker runs, given with its first `load` (a worker runs one module, ever). */
export interface WorkerBinding {
  module: string;
  /** Default deadline of one handler run, ms. */
  deadlineMs: number;
}

/** One handler as the worker declares it; the host compiles its triggers. */
export interface HandlerInfo {
  id: number;
  name: string;
  type: string;
  triggers: TriggerDescriptor[];
  deadlineMs: number | null;
  /** The handler's `description` option. */
  description: string | null;
}

/**
 * What a worker posts on its event port, gathered per turn so that one message carries them all:
 * `a`, the seq of the batch it acknowledges (it has started every entry); `c`, plugin calls its
 * handlers made; `r`, handler reports (a JSON array of HandlerReport).
 */
export interface WorkerPost {
  a?: number;
  c?: PluginCall[];
  r?: string;
}

/** A module's call of a plugin method (`ctx.twitch.sendMessage(...)`): call id, plugin, method, arguments. */
export type PluginCall = [id: number, plugin: string, method: string, args: unknown[]];

/**
 * What the host posts on a worker's event port: a batch `[seq, entries]` (one JSON DeliveryEntry
 * string each), or the answer to a plugin call: its value `v`, or the error `e` it failed with.
 */
export type HostPost = [seq: number, batch: readonly string[]] | PluginAnswer;

/** The answer to {@link PluginCall} `c`. */
export type PluginAnswer = { c: number; v?: unknown; e?: SerializedError };

/**
 * A hit's match as it travels (`RoutedMatch` on the host): `ctx.match` with the cooldown gate, except
 * that a command match is only the name or alias the author used. The worker rebuilds the rest of
 * `ctx.match.command` (`name`, `args`, `params`, `rest`) from the event's text and the handler's own
 * command trigger (`triggers/command-match.ts`), so a line's text crosses once, in the event.
 */
export type DeliveryMatch = Omit<TriggerMatchInfo, "command"> & { command?: string; gate?: CooldownGate };

/**
 * A batch entry on the wire: the event and the handlers `[id, match]` it goes to (the match `null`
 * or absent when there is nothing to tell).
 */
export type DeliveryEntry = { e: unknown; h: Array<[number, DeliveryMatch | null | undefined]> };

/** A handler's error as it crosses back to the host. */
export type ReportedError = {
  name: string;
  message: string;
  code?: string | undefined;
  stack?: string | undefined;
};

/**
 * A handler run the worker reports: `[handler id, ms]` when it went well (the common case stays
 * small), `[id, ms, event id, error]` when it threw, and `[id, ms, event id, null, outcome]` when
 * the handler did not run because a function trigger rejected the event, or as the cooldown verdict
 * of a gated event (`outcome.match.gate`): not a run, only what the host needs to settle the
 * cooldown it held for the event (the author's id and the match).
 */
export type HandlerReport =
  | [number, number]
  | [number, number, string, ReportedError]
  | [number, number, string, null, { userId: string | null; match: unknown }];

/** Health and memory of a worker, as it reports them. */
export interface WorkerHealth {
  /** Handler runs in progress, waiting `serial` runs included (what `whenIdle` waits for). */
  running: number;
}

/** The module worker's API, called by the host over Comlink. */
export interface ModuleWorkerApi {
  /** Imports packages ahead of the module (a spare worker warming up for the next reload). */
  warm(urls: string[]): Promise<number>;
  /**
   * Binds the worker to its module (the first call; a bound worker refuses another module), imports
   * the bundle, instantiates the module, returns its checked manifest.
   */
  load(bundleUrl: string, binding: WorkerBinding): Promise<ModuleManifest>;
  /** Validates config, opens the database, runs initialize and registerActions; returns the handler table. */
  start(config: unknown): Promise<HandlerInfo[]>;
  /** Resolves when no handler runs and none is queued, or after timeoutMs; returns how many still run. */
  drain(timeoutMs: number): Promise<number>;
  snapshot(): Promise<unknown>;
  restore(state: unknown): Promise<void>;
  /** Runs the module's shutdown and closes its database. */
  shutdown(): Promise<void>;
  callService(service: string, method: string, args: unknown[]): Promise<unknown>;
  health(): WorkerHealth;
}

/** What the host offers a module worker, called over Comlink (plugin calls come on the event port). */
export interface HostApi {
  /** A plugin method called by the module (allow-listed by the plugin hub). */
  callPlugin(plugin: string, method: string, args: unknown[]): Promise<unknown>;
  emit(type: string, data: unknown): Promise<void>;
  callService(service: string, method: string, args: unknown[]): Promise<unknown>;
  /** The chat commands of every enabled module. */
  listCommands(): Promise<CommandInfo[]>;
  runJob(name: string, input: unknown, options: { timeoutMs?: number } | undefined): Promise<unknown>;
  /** JSON array of HandlerReport: a fallback; reports normally travel on the event port. */
  report(reports: string): void;
  slow(handler: string, eventId: string, runningMs: number): void;
  log(level: LogLevel, message: string, fields: Record<string, unknown>): void;
  /** Answers once every earlier message on the host port has been handled (a barrier before exit). */
  flush(): void;
}

export type { LogLevel };

/**
 * The host as a worker holds it: {@link HostApi} behind Comlink, every call asynchronous, and the
 * plugins as modules reach them (`ctx.twitch`, `ctx.obs`), whose calls travel on the event port.
 */
export type HostRemote = Remote<HostApi> & {
  readonly twitch: Remote<TwitchPluginApi>;
  readonly obs: Remote<ObsPluginApi>;
};
