export {
  BOT_SCOPES,
  BROADCASTER_SCOPES,
  type DeviceCodeLogin,
  type DeviceCodeOptions,
  type DeviceCodePrompt,
  deviceCodeLogin,
  TWITCH_AUTH_URL,
} from "./device-code.ts";
export { EVENTSUB_TOPICS, type EventSubTopic } from "./eventsub-mapping.ts";
export { TWITCH_MODULE_METHODS } from "./module-methods.ts";
export { SecretRedactor } from "./redact.ts";
export { createTwitchAuth, type TwitchAuth, type TwitchIdentity } from "./twitch-auth.ts";
export { checkEventSubFrame } from "./twitch-eventsub.ts";
export { helixError } from "./twitch-helix.ts";
export { createTwitchPlugin, type TwitchPlugin, type TwitchPluginOptions } from "./twitch-plugin.ts";
export {
  MOCK_ACCESS_TOKEN,
  MOCK_CLIENT_ID,
  resolveTwitchSettings,
  type TwitchAccount,
  type TwitchSettings,
  type TwitchSettingsSources,
  type TwitchTokens,
} from "./twitch-settings.ts";
