import { randomUUID } from "node:crypto";
import { type ObsRequestOutcome, ObsRequestStatus } from "./protocol.ts";

/** A source placed in a scene. */
export interface FakeSceneItem {
  sceneItemId: number;
  sourceName: string;
  enabled: boolean;
}

/** A scene of the fake OBS. */
export interface FakeScene {
  name: string;
  uuid: string;
  items: FakeSceneItem[];
}

/** An input (source) of the fake OBS. */
export interface FakeInput {
  name: string;
  uuid: string;
  kind: string;
  settings: Record<string, unknown>;
  muted: boolean;
  /** The last media action triggered on it. */
  lastMediaAction?: string;
}

/** The starting content of the fake OBS: scene names with the sources they hold, and inputs. */
export interface FakeObsSetup {
  scenes?: Record<string, string[]>;
  currentScene?: string;
  inputs?: Array<{ name: string; kind?: string; settings?: Record<string, unknown>; muted?: boolean }>;
}

const DEFAULT_SETUP: Required<FakeObsSetup> = {
  scenes: {
    "Starting Soon": ["Countdown"],
    Main: ["Camera", "Alert Box", "Alert Text"],
    BRB: ["BRB Loop"],
  },
  currentScene: "Starting Soon",
  inputs: [
    { name: "Mic/Aux", kind: "pulse_input_capture" },
    { name: "Alert Text", kind: "text_ft2_source_v2", settings: { text: "" } },
    { name: "BRB Loop", kind: "ffmpeg_source" },
  ],
};

type Handler = (data: Record<string, unknown>) => ObsRequestOutcome;

const ok = (responseData?: Record<string, unknown>): ObsRequestOutcome => ({ ok: true, responseData });
const fail = (code: number, comment: string): ObsRequestOutcome => ({ ok: false, code, comment });

/**
 * A small in-memory OBS: scenes with items, inputs with mute and settings, the stream and record
 * outputs. Requests change it and produce the events real OBS would send.
 */
export class FakeObsModel {
  readonly scenes: FakeScene[] = [];
  readonly inputs = new Map<string, FakeInput>();
  currentScene: string;
  streaming = false;
  recording = false;
  readonly #emit: (eventType: string, eventData: Record<string, unknown>) => void;
  readonly #handlers: Record<string, Handler>;
  #nextItemId = 1;

  constructor(setup: FakeObsSetup, emit: (eventType: string, eventData: Record<string, unknown>) => void) {
    this.#emit = emit;
    const scenes = setup.scenes ?? DEFAULT_SETUP.scenes;
    for (const [name, sources] of Object.entries(scenes)) {
      this.scenes.push({
        name,
        uuid: randomUUID(),
        items: sources.map((sourceName) => ({ sceneItemId: this.#nextItemId++, sourceName, enabled: true })),
      });
    }
    for (const input of setup.inputs ?? DEFAULT_SETUP.inputs) {
      this.inputs.set(input.name, {
        name: input.name,
        uuid: randomUUID(),
        kind: input.kind ?? "unknown",
        settings: { ...(input.settings ?? {}) },
        muted: input.muted ?? false,
      });
    }
    this.currentScene = setup.currentScene ?? this.scenes[0]?.name ?? "Scene";
    this.#handlers = this.#makeHandlers();
  }

  /** Runs one request against the model. */
  handle(requestType: string, requestData: unknown): ObsRequestOutcome {
    const handler = this.#handlers[requestType];
    if (!handler)
      return fail(ObsRequestStatus.UnknownRequestType, `Your request type is not valid: ${requestType}`);
    // obs-websocket accepts a null requestData (msgpack clients encode a missing one as nil).
    if (requestData !== undefined && requestData !== null && typeof requestData !== "object") {
      return fail(ObsRequestStatus.InvalidRequestFieldType, "requestData must be an object");
    }
    return handler((requestData ?? {}) as Record<string, unknown>);
  }

  /** The scene named `name`, if any. */
  scene(name: string): FakeScene | undefined {
    return this.scenes.find((s) => s.name === name);
  }

  #makeHandlers(): Record<string, Handler> {
    const str = (data: Record<string, unknown>, field: string): string | ObsRequestOutcome => {
      const value = data[field];
      if (value === undefined)
        return fail(ObsRequestStatus.MissingRequestField, `Your request is missing the \`${field}\` field.`);
      if (typeof value !== "string")
        return fail(ObsRequestStatus.InvalidRequestFieldType, `The field \`${field}\` must be a string.`);
      return value;
    };
    const bool = (data: Record<string, unknown>, field: string): boolean | ObsRequestOutcome => {
      const value = data[field];
      if (value === undefined)
        return fail(ObsRequestStatus.MissingRequestField, `Your request is missing the \`${field}\` field.`);
      if (typeof value !== "boolean")
        return fail(ObsRequestStatus.InvalidRequestFieldType, `The field \`${field}\` must be a boolean.`);
      return value;
    };
    const findScene = (data: Record<string, unknown>): FakeScene | ObsRequestOutcome => {
      const name = str(data, "sceneName");
      if (typeof name !== "string") return name;
      return (
        this.scene(name) ??
        fail(ObsRequestStatus.ResourceNotFound, `No source was found by the name of \`${name}\`.`)
      );
    };
    const findInput = (data: Record<string, unknown>): FakeInput | ObsRequestOutcome => {
      const name = str(data, "inputName");
      if (typeof name !== "string") return name;
      return (
        this.inputs.get(name) ??
        fail(ObsRequestStatus.ResourceNotFound, `No source was found by the name of \`${name}\`.`)
      );
    };
    const isOutcome = (value: unknown): value is ObsRequestOutcome =>
      typeof value === "object" && value !== null && "ok" in value;
    const findItem = (data: Record<string, unknown>): [FakeScene, FakeSceneItem] | ObsRequestOutcome => {
      const scene = findScene(data);
      if (isOutcome(scene)) return scene;
      const id = data.sceneItemId;
      if (typeof id !== "number")
        return fail(ObsRequestStatus.MissingRequestField, "Your request is missing the `sceneItemId` field.");
      const item = scene.items.find((i) => i.sceneItemId === id);
      return item
        ? [scene, item]
        : fail(
            ObsRequestStatus.ResourceNotFound,
            `No scene items were found in scene \`${scene.name}\` with the ID \`${id}\`.`,
          );
    };
    const output = (kind: "stream" | "record", start: boolean): ObsRequestOutcome => {
      const running = kind === "stream" ? this.streaming : this.recording;
      if (running === start)
        return fail(
          start ? ObsRequestStatus.OutputRunning : ObsRequestStatus.OutputNotRunning,
          `The ${kind} output is ${start ? "already" : "not"} running.`,
        );
      if (kind === "stream") this.streaming = start;
      else this.recording = start;
      const event = kind === "stream" ? "StreamStateChanged" : "RecordStateChanged";
      const state = start ? "STARTED" : "STOPPED";
      const transient = start ? "STARTING" : "STOPPING";
      this.#emit(event, { outputActive: !start, outputState: `OBS_WEBSOCKET_OUTPUT_${transient}` });
      const extra = kind === "record" ? { outputPath: start ? null : "/tmp/fake-obs-recording.mkv" } : {};
      this.#emit(event, { outputActive: start, outputState: `OBS_WEBSOCKET_OUTPUT_${state}`, ...extra });
      return ok(kind === "record" && !start ? { outputPath: "/tmp/fake-obs-recording.mkv" } : undefined);
    };

    return {
      GetVersion: () =>
        ok({
          obsVersion: "31.0.0",
          obsWebSocketVersion: "5.5.2",
          rpcVersion: 1,
          availableRequests: Object.keys(this.#handlers),
          supportedImageFormats: ["png"],
          platform: "linux",
          platformDescription: "fake-obs",
        }),
      GetSceneList: () => {
        const current = this.scene(this.currentScene);
        return ok({
          currentProgramSceneName: this.currentScene,
          currentProgramSceneUuid: current?.uuid ?? "",
          currentPreviewSceneName: null,
          currentPreviewSceneUuid: null,
          scenes: this.scenes.map((s, i) => ({
            sceneIndex: this.scenes.length - 1 - i,
            sceneName: s.name,
            sceneUuid: s.uuid,
          })),
        });
      },
      GetCurrentProgramScene: () => {
        const current = this.scene(this.currentScene);
        return ok({
          sceneName: this.currentScene,
          sceneUuid: current?.uuid ?? "",
          currentProgramSceneName: this.currentScene,
          currentProgramSceneUuid: current?.uuid ?? "",
        });
      },
      SetCurrentProgramScene: (data) => {
        const scene = findScene(data);
        if (isOutcome(scene)) return scene;
        this.currentScene = scene.name;
        this.#emit("CurrentProgramSceneChanged", { sceneName: scene.name, sceneUuid: scene.uuid });
        return ok();
      },
      GetSceneItemId: (data) => {
        const scene = findScene(data);
        if (isOutcome(scene)) return scene;
        const sourceName = str(data, "sourceName");
        if (typeof sourceName !== "string") return sourceName;
        const item = scene.items.find((i) => i.sourceName === sourceName);
        return item
          ? ok({ sceneItemId: item.sceneItemId })
          : fail(
              ObsRequestStatus.ResourceNotFound,
              `No scene items were found in the specified scene by that name or offset.`,
            );
      },
      GetSceneItemEnabled: (data) => {
        const found = findItem(data);
        return isOutcome(found) ? found : ok({ sceneItemEnabled: found[1].enabled });
      },
      SetSceneItemEnabled: (data) => {
        const found = findItem(data);
        if (isOutcome(found)) return found;
        const enabled = bool(data, "sceneItemEnabled");
        if (typeof enabled !== "boolean") return enabled;
        const [scene, item] = found;
        item.enabled = enabled;
        this.#emit("SceneItemEnableStateChanged", {
          sceneName: scene.name,
          sceneUuid: scene.uuid,
          sceneItemId: item.sceneItemId,
          sceneItemEnabled: enabled,
        });
        return ok();
      },
      GetInputSettings: (data) => {
        const input = findInput(data);
        return isOutcome(input) ? input : ok({ inputSettings: { ...input.settings }, inputKind: input.kind });
      },
      SetInputSettings: (data) => {
        const input = findInput(data);
        if (isOutcome(input)) return input;
        const settings = data.inputSettings;
        if (settings === null || typeof settings !== "object" || Array.isArray(settings)) {
          return fail(
            ObsRequestStatus.MissingRequestField,
            "Your request is missing the `inputSettings` field.",
          );
        }
        input.settings = data.overlay === false ? { ...settings } : { ...input.settings, ...settings };
        this.#emit("InputSettingsChanged", {
          inputName: input.name,
          inputUuid: input.uuid,
          inputSettings: { ...input.settings },
        });
        return ok();
      },
      GetInputMute: (data) => {
        const input = findInput(data);
        return isOutcome(input) ? input : ok({ inputMuted: input.muted });
      },
      SetInputMute: (data) => {
        const input = findInput(data);
        if (isOutcome(input)) return input;
        const muted = bool(data, "inputMuted");
        if (typeof muted !== "boolean") return muted;
        input.muted = muted;
        this.#emit("InputMuteStateChanged", {
          inputName: input.name,
          inputUuid: input.uuid,
          inputMuted: muted,
        });
        return ok();
      },
      ToggleInputMute: (data) => {
        const input = findInput(data);
        if (isOutcome(input)) return input;
        input.muted = !input.muted;
        this.#emit("InputMuteStateChanged", {
          inputName: input.name,
          inputUuid: input.uuid,
          inputMuted: input.muted,
        });
        return ok({ inputMuted: input.muted });
      },
      TriggerMediaInputAction: (data) => {
        const input = findInput(data);
        if (isOutcome(input)) return input;
        const action = str(data, "mediaAction");
        if (typeof action !== "string") return action;
        if (!/^OBS_WEBSOCKET_MEDIA_INPUT_ACTION_(NONE|PLAY|PAUSE|STOP|RESTART|NEXT|PREVIOUS)$/.test(action)) {
          return fail(
            ObsRequestStatus.InvalidRequestField,
            `The field \`mediaAction\` has an invalid value.`,
          );
        }
        input.lastMediaAction = action;
        this.#emit("MediaInputActionTriggered", {
          inputName: input.name,
          inputUuid: input.uuid,
          mediaAction: action,
        });
        return ok();
      },
      GetStreamStatus: () =>
        ok({ outputActive: this.streaming, outputReconnecting: false, outputTimecode: "00:00:00.000" }),
      StartStream: () => output("stream", true),
      StopStream: () => output("stream", false),
      GetRecordStatus: () =>
        ok({ outputActive: this.recording, outputPaused: false, outputTimecode: "00:00:00.000" }),
      StartRecord: () => output("record", true),
      StopRecord: () => output("record", false),
    };
  }
}
