import { OBSWebSocketError } from "obs-websocket-js";
import OBSWebSocketJson from "obs-websocket-js/json";
import OBSWebSocketMsgpack from "obs-websocket-js/msgpack";
import { type ConnectionState, type Logger, StarStreamerError } from "starstreamer";
import { ObsErrorCodes } from "./errors.ts";
import { MAPPED_OBS_EVENTS, OBS_EVENT_SUBSCRIPTIONS } from "./obs-events.ts";

/** obs-websocket's close code for a wrong password. */
const AUTHENTICATION_FAILED = 4009;

/** How an {@link ObsConnection} connects and retries. */
export interface ObsConnectionOptions {
  url: string;
  password?: string;
  /** The subprotocol: MessagePack (smaller frames) or JSON. */
  protocol: "msgpack" | "json";
  /** Bound on one connect attempt (open, Hello, Identify, Identified). */
  connectTimeoutMs: number;
  /** Bound on one request; obs-websocket-js alone would wait forever. */
  requestTimeoutMs: number;
  /** Delay before the first retry, doubled on each failure up to `maxMs`. */
  backoff: { initialMs: number; maxMs: number };
  logger: Logger;
  /** An obs-websocket event arrived (raw name and payload). */
  onEvent(eventType: string, eventData: unknown): void;
  /** Identified with OBS. */
  onConnected(info: { obsWebSocketVersion: string; rpcVersion: number }): void;
  /** The connection was lost, or could not be made after being up or at start. Not called per retry. */
  onDisconnected(info: { reason: string; code: number; retryInMs?: number }): void;
}

type Socket = OBSWebSocketJson | OBSWebSocketMsgpack;
type Pending = { fail(error: StarStreamerError): void };

/** `ws://user:pass@host` would leak a secret into logs and status; keep only scheme, host and path. */
export function safeObsUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = "";
    parsed.password = "";
    return parsed.toString().replace(/\/$/, "");
  } catch {
    return "(invalid URL)";
  }
}

/**
 * One obs-websocket connection kept alive: connects, identifies, reconnects with exponential
 * backoff, and bounds every request in time. A fresh client per attempt, so nothing from a dead
 * session (a late close, a pending promise) can touch the next one. Repeated identical failures are
 * logged once at warn and then at debug, so an absent OBS does not flood the log.
 */
export class ObsConnection {
  readonly #options: ObsConnectionOptions;
  readonly #safeUrl: string;
  readonly #pending = new Set<Pending>();
  #socket: Socket | undefined;
  #live = false;
  #everConnected = false;
  #stopped = true;
  #failures = 0;
  #lastLoggedReason: string | undefined;
  /** The last failure, for humans, until a connect succeeds. */
  #lastWhy: string | undefined;
  #retryTimer: NodeJS.Timeout | undefined;
  #state: ConnectionState = "disconnected";
  #detail = "not started";

  constructor(options: ObsConnectionOptions) {
    this.#options = options;
    this.#safeUrl = safeObsUrl(options.url);
  }

  /** The state, as `status()` reports it. */
  get state(): ConnectionState {
    return this.#state;
  }

  /** One line for humans; never holds the password. */
  get detail(): string {
    return this.#detail;
  }

  /** Starts connecting; resolves after the first attempt, connected or not. */
  async start(): Promise<void> {
    if (!this.#stopped) return;
    this.#stopped = false;
    await this.#attempt();
  }

  /** Stops retrying, fails pending calls and closes the socket; bounded in time. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#retryTimer);
    this.#live = false;
    this.#failPending(ObsErrorCodes.NOT_CONNECTED, "the OBS plugin stopped");
    const socket = this.#socket;
    this.#socket = undefined;
    this.#setState("disconnected", "stopped");
    if (socket) await this.#close(socket);
  }

  /**
   * Sends one request and resolves with its `responseData`. Rejects with SS_OBS_NOT_CONNECTED,
   * SS_OBS_TIMEOUT, SS_OBS_CONNECTION_LOST or SS_OBS_REQUEST_FAILED (OBS's status code and comment).
   */
  request(
    requestType: string,
    requestData: Record<string, unknown> | undefined,
    caller: string,
  ): Promise<unknown> {
    const socket = this.#socket;
    if (!this.#live || !socket) {
      return Promise.reject(
        new StarStreamerError(
          ObsErrorCodes.NOT_CONNECTED,
          `OBS is not connected (${this.#detail}); ${requestType} was not sent`,
          {
            data: { requestType, module: caller, state: this.#state },
          },
        ),
      );
    }
    return new Promise((resolve, reject) => {
      const timeoutMs = this.#options.requestTimeoutMs;
      const settle = () => {
        clearTimeout(timer);
        this.#pending.delete(pending);
      };
      const pending: Pending = {
        fail: (error) => {
          settle();
          reject(error);
        },
      };
      const timer = setTimeout(
        () =>
          pending.fail(
            new StarStreamerError(
              ObsErrorCodes.TIMEOUT,
              `OBS did not answer ${requestType} within ${timeoutMs} ms`,
              {
                data: { requestType, module: caller, timeoutMs },
              },
            ),
          ),
        timeoutMs,
      );
      this.#pending.add(pending);
      socket.call(requestType as never, requestData as never).then(
        (response: unknown) => {
          settle();
          resolve(response);
        },
        (error: unknown) => {
          settle();
          reject(requestError(requestType, caller, error));
        },
      );
    });
  }

  async #attempt(): Promise<void> {
    if (this.#stopped) return;
    const Client = this.#options.protocol === "json" ? OBSWebSocketJson : OBSWebSocketMsgpack;
    const socket: Socket = new Client();
    this.#socket = socket;
    const doing = this.#lastWhy ? `${this.#lastWhy}; trying again` : `connecting to ${this.#safeUrl}`;
    this.#setState(this.#everConnected ? "reconnecting" : "connecting", doing);
    for (const eventType of [...MAPPED_OBS_EVENTS, "ExitStarted"] as const) {
      socket.on(eventType, (...args: unknown[]) => {
        if (socket === this.#socket && this.#live) this.#options.onEvent(eventType, args[0]);
      });
    }
    socket.on("ConnectionClosed", (error) => {
      if (socket !== this.#socket || !this.#live) return; // a failed attempt reports itself below
      this.#lost(error.message || "connection closed", error.code);
    });
    let timer: NodeJS.Timeout | undefined;
    try {
      const identified = await Promise.race([
        socket.connect(this.#options.url, this.#options.password, {
          rpcVersion: 1,
          eventSubscriptions: OBS_EVENT_SUBSCRIPTIONS,
        }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new OBSWebSocketError(-1, `no answer within ${this.#options.connectTimeoutMs} ms`)),
            this.#options.connectTimeoutMs,
          );
        }),
      ]);
      clearTimeout(timer);
      if (this.#stopped || socket !== this.#socket) {
        await this.#close(socket);
        return;
      }
      const reconnected = this.#everConnected;
      const attempts = this.#failures;
      this.#live = true;
      this.#everConnected = true;
      this.#failures = 0;
      this.#lastLoggedReason = undefined;
      this.#lastWhy = undefined;
      this.#setState(
        "connected",
        `connected to ${this.#safeUrl} (obs-websocket ${identified.obsWebSocketVersion})`,
      );
      this.#options.logger.info(reconnected || attempts > 0 ? "OBS connected again" : "OBS connected", {
        url: this.#safeUrl,
        obsWebSocketVersion: identified.obsWebSocketVersion,
        attempts: attempts + 1,
      });
      this.#options.onConnected({
        obsWebSocketVersion: identified.obsWebSocketVersion,
        rpcVersion: identified.negotiatedRpcVersion,
      });
    } catch (error) {
      clearTimeout(timer);
      await this.#close(socket);
      if (this.#stopped || socket !== this.#socket) return;
      const code = error instanceof OBSWebSocketError ? error.code : -1;
      const reason = error instanceof Error && error.message ? error.message : "connection failed";
      this.#failed(reason, code);
    }
  }

  /** A live session ended: fail what was waiting, say so once, retry soon. */
  #lost(reason: string, code: number): void {
    this.#live = false;
    this.#failPending(ObsErrorCodes.CONNECTION_LOST, `the connection to OBS dropped (${reason || code})`);
    this.#options.logger.warn("OBS connection lost; reconnecting", { url: this.#safeUrl, code, reason });
    this.#lastLoggedReason = reason;
    const retryInMs = this.#options.backoff.initialMs;
    this.#lastWhy = `connection to ${this.#safeUrl} lost (${reason || code})`;
    this.#setState("disconnected", `connection lost (${reason || code}); retrying in ${retryInMs} ms`);
    this.#options.onDisconnected({ reason, code, retryInMs });
    this.#scheduleRetry(retryInMs);
  }

  /** A connect attempt failed: back off; log and publish only what is news. */
  #failed(reason: string, code: number): void {
    this.#failures++;
    const { initialMs, maxMs } = this.#options.backoff;
    const retryInMs = Math.min(maxMs, initialMs * 2 ** Math.min(this.#failures - 1, 20));
    const auth = code === AUTHENTICATION_FAILED;
    const why = auth
      ? "OBS refused the password (check OBS_WEBSOCKET_PASSWORD against OBS > Tools > WebSocket Server Settings)"
      : `OBS is not reachable at ${this.#safeUrl}: ${reason}`;
    this.#lastWhy = why;
    this.#setState("disconnected", `${why}; retrying in ${retryInMs} ms`);
    const news = reason !== this.#lastLoggedReason;
    if (news) {
      this.#lastLoggedReason = reason;
      const log = auth ? this.#options.logger.error : this.#options.logger.warn;
      log.call(
        this.#options.logger,
        `${why}; retrying with backoff (further identical failures are logged at debug)`,
        {
          code,
          retryInMs,
        },
      );
      this.#options.onDisconnected({ reason: auth ? "authentication failed" : reason, code, retryInMs });
    } else {
      this.#options.logger.debug("OBS connect attempt failed", {
        code,
        reason,
        attempt: this.#failures,
        retryInMs,
      });
    }
    this.#scheduleRetry(retryInMs);
  }

  #scheduleRetry(delayMs: number): void {
    clearTimeout(this.#retryTimer);
    if (this.#stopped) return;
    this.#retryTimer = setTimeout(() => void this.#attempt(), delayMs);
    this.#retryTimer.unref?.();
  }

  #failPending(code: string, message: string): void {
    for (const pending of [...this.#pending]) pending.fail(new StarStreamerError(code, message));
  }

  #setState(state: ConnectionState, detail: string): void {
    this.#state = state;
    this.#detail = detail;
  }

  /** Closes a client, waiting at most a second: a socket still opening may never report closed. */
  async #close(socket: Socket): Promise<void> {
    socket.removeAllListeners();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      socket.disconnect().catch(() => {}),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, 1000);
      }),
    ]);
    clearTimeout(timer);
  }
}

/** What an obs-websocket-js rejection means for the module that made the call. */
function requestError(requestType: string, caller: string, error: unknown): StarStreamerError {
  if (error instanceof OBSWebSocketError && error.code > 0) {
    return new StarStreamerError(
      ObsErrorCodes.REQUEST_FAILED,
      `OBS refused ${requestType}: ${error.message || "no comment"} (status ${error.code})`,
      { data: { requestType, module: caller, status: error.code, comment: error.message } },
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new StarStreamerError(
    ObsErrorCodes.NOT_CONNECTED,
    `OBS is not connected; ${requestType} was not sent (${message})`,
    {
      data: { requestType, module: caller },
    },
  );
}
