import type { OBSRequestTypes, OBSResponseTypes } from "obs-websocket-js";

/** The obs-websocket v5 request names, for {@link ObsPluginApi.call}. */
export type ObsRequestType = keyof OBSRequestTypes & string;
/** The `requestData` of an obs-websocket request. */
export type ObsRequestData<T extends ObsRequestType> = OBSRequestTypes[T];
/** The `responseData` of an obs-websocket request (`undefined` for requests that return nothing). */
export type ObsResponseData<T extends ObsRequestType> = OBSResponseTypes[T];

/** The media actions of `TriggerMediaInputAction`, without the `OBS_WEBSOCKET_MEDIA_INPUT_ACTION_` prefix. */
export const OBS_MEDIA_ACTIONS = ["play", "pause", "stop", "restart", "next", "previous"] as const;
/** A media action: `play`, `pause`, `stop`, `restart`, `next`, `previous`. */
export type ObsMediaAction = (typeof OBS_MEDIA_ACTIONS)[number];

/**
 * The OBS plugin as a module sees it (`ctx.obs`). Every call crosses to the host, where the plugin
 * talks obs-websocket v5 with a timeout. A failure rejects with a `StarStreamerError` whose `code`
 * says why (`SS_OBS_NOT_CONNECTED`, `SS_OBS_TIMEOUT`, `SS_OBS_CONNECTION_LOST`,
 * `SS_OBS_REQUEST_FAILED` with `data.status` and `data.comment` from OBS, `SS_OBS_INVALID_ARGUMENT`).
 * @example
 * await ctx.obs.setCurrentScene("BRB");
 * await ctx.obs.setSceneItemEnabled("Main", "Raid Alert", true);
 * const { inputMuted } = await ctx.obs.call("GetInputMute", { inputName: "Mic" });
 */
export interface ObsPluginApi {
  /** The name of the current program scene. */
  getCurrentScene(): Promise<string>;
  /** Switches the program scene. */
  setCurrentScene(sceneName: string): Promise<void>;
  /** Shows (`true`) or hides (`false`) the source `sourceName` in the scene `sceneName`. */
  setSceneItemEnabled(sceneName: string, sourceName: string, enabled: boolean): Promise<void>;
  /** Sets the text of a text source (GDI+ / FreeType 2 text input). */
  setText(inputName: string, text: string): Promise<void>;
  /** Mutes (`true`) or unmutes (`false`) an audio input. */
  setInputMute(inputName: string, muted: boolean): Promise<void>;
  /** Plays, pauses, stops, restarts... a media input. */
  triggerMediaInputAction(inputName: string, action: ObsMediaAction): Promise<void>;
  /** Any obs-websocket v5 request, typed by its name (the escape hatch for everything else). */
  call<T extends ObsRequestType>(
    requestType: T,
    requestData?: ObsRequestData<T>,
  ): Promise<ObsResponseData<T>>;
}
