import {
  type HostPlugin,
  OBS_MEDIA_ACTIONS,
  type ObsMediaAction,
  type ObsPluginApi,
  type PluginContext,
  type PluginStatus,
  StarStreamerError,
} from "starstreamer";
import { ObsErrorCodes } from "./errors.ts";
import { ObsConnection } from "./obs-connection.ts";
import { mapObsEvent } from "./obs-events.ts";

/** The event source of everything the OBS plugin publishes. */
export const OBS_EVENT_SOURCE = "obs";
/** Where OBS listens when nothing says otherwise (obs-websocket 5's default). */
export const DEFAULT_OBS_URL = "ws://127.0.0.1:4455";

/** How to build the OBS plugin. Every field is optional; the environment fills in url and password. */
export interface ObsPluginOptions {
  /** obs-websocket URL; default `OBS_WEBSOCKET_URL` or ws://127.0.0.1:4455. */
  url?: string;
  /** obs-websocket password; default `OBS_WEBSOCKET_PASSWORD` (none when unset or empty). */
  password?: string;
  /** Subprotocol; default `msgpack`. */
  protocol?: "msgpack" | "json";
  /** Bound on each request, in ms; default 5000. */
  requestTimeoutMs?: number;
  /** Bound on each connect attempt, in ms; default 5000. */
  connectTimeoutMs?: number;
  /** Reconnect delays: first retry after `initialMs` (default 1000), doubling up to `maxMs` (default 30000). */
  backoff?: { initialMs?: number; maxMs?: number };
  /** Where url and password are read from; default `process.env`. */
  env?: Record<string, string | undefined>;
}

/** The methods modules may call on `ctx.obs` (the host enforces this list). */
export const OBS_MODULE_METHODS = [
  "getCurrentScene",
  "setCurrentScene",
  "setSceneItemEnabled",
  "setText",
  "setInputMute",
  "triggerMediaInputAction",
  "call",
] as const satisfies ReadonlyArray<keyof ObsPluginApi>;

const MEDIA_ACTION_PREFIX = "OBS_WEBSOCKET_MEDIA_INPUT_ACTION_";

function invalid(method: string, message: string, data: Record<string, unknown> = {}): StarStreamerError {
  return new StarStreamerError(ObsErrorCodes.INVALID_ARGUMENT, `obs.${method}: ${message}`, {
    data: { method, ...data },
  });
}

function name(method: string, field: string, value: unknown): string {
  if (typeof value !== "string" || value.trim() === "") {
    throw invalid(
      method,
      `${field} must be a non-empty string, got ${JSON.stringify(value) ?? typeof value}`,
      { field },
    );
  }
  return value;
}

function flag(method: string, field: string, value: unknown): boolean {
  if (typeof value !== "boolean")
    throw invalid(method, `${field} must be true or false, got ${typeof value}`, { field });
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object") return false;
  const proto = Object.getPrototypeOf(value);
  return proto === null || proto === Object.prototype;
}

/**
 * The OBS plugin: one obs-websocket v5 connection on the main thread, kept alive with backoff, its
 * events published as `obs.*` domain events, and `ctx.obs` for modules with every call bounded in
 * time. The bot runs fine without OBS: calls then reject with SS_OBS_NOT_CONNECTED.
 * @example
 * const obs = createObsPlugin(); // OBS_WEBSOCKET_URL, OBS_WEBSOCKET_PASSWORD
 * const host = await createHost({ modulesDir, dataDir, plugins: [obs] });
 */
export class ObsPlugin implements HostPlugin<"obs"> {
  readonly name = "obs" as const;
  readonly moduleMethods = OBS_MODULE_METHODS;
  readonly #connection: ObsConnection;
  #context: PluginContext | undefined;
  #currentScene: string | undefined;

  constructor(options: ObsPluginOptions = {}) {
    const env = options.env ?? process.env;
    const password = options.password ?? env.OBS_WEBSOCKET_PASSWORD;
    this.#connection = new ObsConnection({
      url: options.url ?? (env.OBS_WEBSOCKET_URL || DEFAULT_OBS_URL),
      password: password === "" ? undefined : password,
      protocol: options.protocol ?? "msgpack",
      requestTimeoutMs: options.requestTimeoutMs ?? 5000,
      connectTimeoutMs: options.connectTimeoutMs ?? 5000,
      backoff: { initialMs: options.backoff?.initialMs ?? 1000, maxMs: options.backoff?.maxMs ?? 30_000 },
      logger: {
        debug: (m, f) => this.#context?.logger.debug(m, f),
        info: (m, f) => this.#context?.logger.info(m, f),
        warn: (m, f) => this.#context?.logger.warn(m, f),
        error: (m, f) => this.#context?.logger.error(m, f),
      },
      onEvent: (type, data) => this.#onObsEvent(type, data),
      onConnected: (info) => {
        this.#publish("obs.connection.connected", info);
        // Learn the program scene, so the first obs.scene.changed can say where it came from.
        this.#connection.request("GetCurrentProgramScene", undefined, "host").then(
          (response) => {
            const scene = (response as { currentProgramSceneName?: unknown } | undefined)
              ?.currentProgramSceneName;
            if (typeof scene === "string" && this.#currentScene === undefined) this.#currentScene = scene;
          },
          () => {},
        );
      },
      onDisconnected: (info) => {
        this.#currentScene = undefined;
        this.#publish("obs.connection.disconnected", info);
      },
    });
  }

  /** Connects (one attempt, bounded); keeps retrying in the background when OBS is not there. */
  async start(context: PluginContext): Promise<void> {
    this.#context = context;
    await this.#connection.start();
  }

  /** Disconnects and stops retrying. */
  async stop(): Promise<void> {
    await this.#connection.stop();
  }

  /** `obs`, its connection state and one line for humans. */
  status(): PluginStatus {
    return { kind: "obs", state: this.#connection.state, detail: this.#connection.detail };
  }

  /** `ctx.obs` as `module` (or `"host"`) sees it: arguments checked, calls tagged with the caller. */
  forModule(module: string): ObsPluginApi {
    const request = (type: string, data?: Record<string, unknown>) =>
      this.#connection.request(type, data, module);
    return {
      getCurrentScene: async () => {
        const response = (await request("GetCurrentProgramScene")) as {
          currentProgramSceneName?: unknown;
          sceneName?: unknown;
        };
        const scene = response?.currentProgramSceneName ?? response?.sceneName;
        if (typeof scene !== "string") {
          throw new StarStreamerError(
            ObsErrorCodes.REQUEST_FAILED,
            "OBS answered GetCurrentProgramScene without a scene name",
            {
              data: { requestType: "GetCurrentProgramScene", module },
            },
          );
        }
        return scene;
      },
      setCurrentScene: async (sceneName) => {
        await request("SetCurrentProgramScene", {
          sceneName: name("setCurrentScene", "sceneName", sceneName),
        });
      },
      setSceneItemEnabled: async (sceneName, sourceName, enabled) => {
        const scene = name("setSceneItemEnabled", "sceneName", sceneName);
        const source = name("setSceneItemEnabled", "sourceName", sourceName);
        const on = flag("setSceneItemEnabled", "enabled", enabled);
        const { sceneItemId } = (await request("GetSceneItemId", {
          sceneName: scene,
          sourceName: source,
        })) as {
          sceneItemId: number;
        };
        await request("SetSceneItemEnabled", { sceneName: scene, sceneItemId, sceneItemEnabled: on });
      },
      setText: async (inputName, text) => {
        const input = name("setText", "inputName", inputName);
        if (typeof text !== "string")
          throw invalid("setText", `text must be a string, got ${typeof text}`, { field: "text" });
        await request("SetInputSettings", { inputName: input, inputSettings: { text }, overlay: true });
      },
      setInputMute: async (inputName, muted) => {
        await request("SetInputMute", {
          inputName: name("setInputMute", "inputName", inputName),
          inputMuted: flag("setInputMute", "muted", muted),
        });
      },
      triggerMediaInputAction: async (inputName, action) => {
        const input = name("triggerMediaInputAction", "inputName", inputName);
        if (!OBS_MEDIA_ACTIONS.includes(action as ObsMediaAction)) {
          throw invalid(
            "triggerMediaInputAction",
            `action must be one of ${OBS_MEDIA_ACTIONS.join(", ")}, got ${JSON.stringify(action)}`,
            {
              field: "action",
            },
          );
        }
        await request("TriggerMediaInputAction", {
          inputName: input,
          mediaAction: `${MEDIA_ACTION_PREFIX}${action.toUpperCase()}`,
        });
      },
      call: async (requestType, requestData) => {
        const type = name("call", "requestType", requestType);
        if (requestData !== undefined && !isPlainObject(requestData)) {
          throw invalid("call", "requestData must be a plain object (or left out)", { field: "requestData" });
        }
        return (await request(type, requestData as Record<string, unknown> | undefined)) as never;
      },
    };
  }

  #onObsEvent(eventType: string, eventData: unknown): void {
    if (eventType === "ExitStarted") {
      this.#context?.logger.info("OBS is shutting down");
      return;
    }
    const { event, error } = mapObsEvent(eventType, eventData, this.#currentScene);
    if (error) this.#context?.logger.warn("ignored a malformed OBS event", { eventType, error });
    if (!event) return;
    if (event.type === "obs.scene.changed") this.#currentScene = event.data.sceneName as string;
    this.#publish(event.type, event.data);
  }

  #publish(type: string, data: unknown): void {
    const context = this.#context;
    if (!context) return;
    try {
      context.emit(type, data, OBS_EVENT_SOURCE);
    } catch (error) {
      context.logger.warn("could not publish an OBS event", {
        type,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}

/** Builds the OBS plugin; see {@link ObsPluginOptions}. */
export function createObsPlugin(options: ObsPluginOptions = {}): ObsPlugin {
  return new ObsPlugin(options);
}
