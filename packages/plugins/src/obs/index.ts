export { type ObsErrorCode, ObsErrorCodes } from "./errors.ts";
export { safeObsUrl } from "./obs-connection.ts";
export { mapObsEvent, OBS_EVENT_SUBSCRIPTIONS } from "./obs-events.ts";
export {
  createObsPlugin,
  DEFAULT_OBS_URL,
  OBS_EVENT_SOURCE,
  OBS_MODULE_METHODS,
  ObsPlugin,
  type ObsPluginOptions,
} from "./obs-plugin.ts";
