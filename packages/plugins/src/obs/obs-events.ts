// Raw obs-websocket v5 event payloads live here, next to the plugin that reads them; the rest of
// StarStreamer only sees the domain events (`obs.scene.changed`, ...) these map to.
import { EventSubscription } from "obs-websocket-js";

/** The obs-websocket events the plugin listens to, with the subscription bits they need. */
export const OBS_EVENT_SUBSCRIPTIONS =
  EventSubscription.General | EventSubscription.Scenes | EventSubscription.Inputs | EventSubscription.Outputs;

/** A domain event to publish: type and data (validated again by the bus). */
export interface ObsDomainEvent {
  type: string;
  data: Record<string, unknown>;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);
const nonEmpty = (value: unknown): value is string => typeof value === "string" && value.length > 0;

/**
 * Maps one obs-websocket event to the domain event it means, or `null` when it means none (an
 * intermediate output state such as STARTING) or its payload is malformed (`error` says why).
 * `previousScene` is the program scene the plugin last knew, for `previousSceneName`.
 */
export function mapObsEvent(
  eventType: string,
  eventData: unknown,
  previousScene: string | undefined,
): { event: ObsDomainEvent | null; error?: string } {
  if (!isRecord(eventData)) return { event: null, error: `${eventType}: eventData is not an object` };
  switch (eventType) {
    case "CurrentProgramSceneChanged": {
      const { sceneName } = eventData;
      if (!nonEmpty(sceneName)) return { event: null, error: `${eventType}: sceneName is missing` };
      const data: Record<string, unknown> = { sceneName };
      if (previousScene !== undefined && previousScene !== sceneName) data.previousSceneName = previousScene;
      return { event: { type: "obs.scene.changed", data } };
    }
    case "StreamStateChanged":
    case "RecordStateChanged": {
      const { outputState, outputPath } = eventData;
      if (!nonEmpty(outputState)) return { event: null, error: `${eventType}: outputState is missing` };
      const family = eventType === "StreamStateChanged" ? "obs.stream" : "obs.recording";
      const phase =
        outputState === "OBS_WEBSOCKET_OUTPUT_STARTED"
          ? "started"
          : outputState === "OBS_WEBSOCKET_OUTPUT_STOPPED"
            ? "stopped"
            : null;
      if (phase === null) return { event: null };
      const data: Record<string, unknown> = { outputState };
      if (family === "obs.recording" && typeof outputPath === "string" && outputPath.length > 0) {
        data.outputPath = outputPath;
      }
      return { event: { type: `${family}.${phase}`, data } };
    }
    case "InputMuteStateChanged": {
      const { inputName, inputMuted } = eventData;
      if (!nonEmpty(inputName) || typeof inputMuted !== "boolean") {
        return { event: null, error: `${eventType}: inputName or inputMuted is missing` };
      }
      return { event: { type: "obs.input.mute_changed", data: { inputName, muted: inputMuted } } };
    }
    default:
      return { event: null };
  }
}

/** The obs-websocket event names {@link mapObsEvent} understands. */
export const MAPPED_OBS_EVENTS = [
  "CurrentProgramSceneChanged",
  "StreamStateChanged",
  "RecordStateChanged",
  "InputMuteStateChanged",
] as const;
