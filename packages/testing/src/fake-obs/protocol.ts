import { createHash } from "node:crypto";

// obs-websocket v5 constants, as the protocol document names them
// (https://github.com/obsproject/obs-websocket/blob/master/docs/generated/protocol.md).

/** WebSocket op codes of obs-websocket v5. */
export const ObsOpCode = {
  Hello: 0,
  Identify: 1,
  Identified: 2,
  Reidentify: 3,
  Event: 5,
  Request: 6,
  RequestResponse: 7,
  RequestBatch: 8,
  RequestBatchResponse: 9,
} as const;

/** The close codes obs-websocket uses when it ends a session. */
export const ObsCloseCode = {
  UnknownReason: 4000,
  MessageDecodeError: 4002,
  MissingDataField: 4003,
  InvalidDataFieldType: 4004,
  InvalidDataFieldValue: 4005,
  UnknownOpCode: 4006,
  NotIdentified: 4007,
  AlreadyIdentified: 4008,
  AuthenticationFailed: 4009,
  UnsupportedRpcVersion: 4010,
  SessionInvalidated: 4011,
} as const;

/** `requestStatus.code` values of obs-websocket v5 (the ones the fake answers with). */
export const ObsRequestStatus = {
  Success: 100,
  MissingRequestType: 203,
  UnknownRequestType: 204,
  GenericError: 205,
  MissingRequestField: 300,
  MissingRequestData: 301,
  InvalidRequestField: 400,
  InvalidRequestFieldType: 401,
  OutputRunning: 500,
  OutputNotRunning: 501,
  ResourceNotFound: 600,
  InvalidResourceState: 604,
} as const;

/** Event subscription bits (`eventSubscriptions` of Identify; an event's `eventIntent`). */
export const ObsEventSubscription = {
  None: 0,
  General: 1 << 0,
  Config: 1 << 1,
  Scenes: 1 << 2,
  Inputs: 1 << 3,
  Transitions: 1 << 4,
  Filters: 1 << 5,
  Outputs: 1 << 6,
  SceneItems: 1 << 7,
  MediaInputs: 1 << 8,
  Vendors: 1 << 9,
  Ui: 1 << 10,
  All: (1 << 11) - 1,
  InputVolumeMeters: 1 << 16,
} as const;

/** The subprotocols obs-websocket speaks; a client that names none gets JSON. */
export const OBS_SUBPROTOCOLS = ["obswebsocket.json", "obswebsocket.msgpack"] as const;
/** One of {@link OBS_SUBPROTOCOLS}. */
export type ObsSubprotocol = (typeof OBS_SUBPROTOCOLS)[number];

/** The intent (subscription bit) of the events the fake knows; others default to General. */
export const OBS_EVENT_INTENTS: Record<string, number> = {
  ExitStarted: ObsEventSubscription.General,
  CurrentProgramSceneChanged: ObsEventSubscription.Scenes,
  SceneListChanged: ObsEventSubscription.Scenes,
  InputMuteStateChanged: ObsEventSubscription.Inputs,
  InputSettingsChanged: ObsEventSubscription.Inputs,
  StreamStateChanged: ObsEventSubscription.Outputs,
  RecordStateChanged: ObsEventSubscription.Outputs,
  SceneItemEnableStateChanged: ObsEventSubscription.SceneItems,
  MediaInputActionTriggered: ObsEventSubscription.MediaInputs,
};

/**
 * The `authentication` string a client must send in Identify, exactly as the protocol specifies:
 * base64(sha256(password + salt)) is the secret, then base64(sha256(secret + challenge)).
 */
export function obsAuthenticationString(password: string, salt: string, challenge: string): string {
  const secret = createHash("sha256")
    .update(password + salt)
    .digest("base64");
  return createHash("sha256")
    .update(secret + challenge)
    .digest("base64");
}

/** A request's outcome as the fake's model computes it. */
export type ObsRequestOutcome =
  | { ok: true; responseData?: Record<string, unknown> }
  | { ok: false; code: number; comment: string };
