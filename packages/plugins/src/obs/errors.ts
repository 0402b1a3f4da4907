/**
 * The codes the OBS plugin raises; docs/errors.md gives cause and fix for each. Modules see them as
 * `error.code` on what `ctx.obs.*` rejects with.
 */
export const ObsErrorCodes = {
  /** A call while OBS is not connected (OBS closed, obs-websocket off, wrong URL or password). */
  NOT_CONNECTED: "SS_OBS_NOT_CONNECTED",
  /** OBS did not answer a request within the plugin's request timeout. */
  TIMEOUT: "SS_OBS_TIMEOUT",
  /** The connection to OBS dropped while a request was waiting for its answer. */
  CONNECTION_LOST: "SS_OBS_CONNECTION_LOST",
  /** OBS answered a request with a failure; `data.status` is OBS's request status code, `data.comment` its reason. */
  REQUEST_FAILED: "SS_OBS_REQUEST_FAILED",
  /** A call's arguments are malformed (empty scene name, unknown media action, data that is not an object). */
  INVALID_ARGUMENT: "SS_OBS_INVALID_ARGUMENT",
} as const;

/** One of the {@link ObsErrorCodes} values. */
export type ObsErrorCode = (typeof ObsErrorCodes)[keyof typeof ObsErrorCodes];
