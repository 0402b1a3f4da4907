import type { TwitchPluginApi } from "starstreamer";

/**
 * The methods of `ctx.twitch` modules may call: all of {@link TwitchPluginApi}. One list for the
 * Twitch plugin and the local chat, so both allow the same calls.
 */
export const TWITCH_MODULE_METHODS = [
  "sendMessage",
  "reply",
  "getStreamInfo",
  "createClip",
  "getUserByLogin",
  "getChatters",
  "isModerator",
  "isVip",
  "shoutout",
  "sendAnnouncement",
  "timeout",
  "ban",
] as const satisfies ReadonlyArray<keyof TwitchPluginApi>;
