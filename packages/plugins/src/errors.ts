/** The codes the platform plugins raise; docs/errors.md gives cause and fix for each. */
export const PluginErrorCodes = {
  /** A chat message that cannot be sent: empty, not a string, or bad options. */
  CHAT_MESSAGE_INVALID: "SS_CHAT_MESSAGE_INVALID",
  /** The module already has its full quota of messages waiting; this one was dropped. */
  CHAT_QUOTA_EXCEEDED: "SS_CHAT_QUOTA_EXCEEDED",
  /** A queued message waited longer than the queue allows (chat was down) and was dropped. */
  CHAT_MESSAGE_EXPIRED: "SS_CHAT_MESSAGE_EXPIRED",
  /** The chat queue was closed (the bot is shutting down) before the message went out. */
  CHAT_QUEUE_CLOSED: "SS_CHAT_QUEUE_CLOSED",
  /** The local (offline) chat cannot do this: it needs Twitch (clips, bans, stream info...). */
  TWITCH_NOT_AVAILABLE_OFFLINE: "SS_TWITCH_NOT_AVAILABLE_OFFLINE",
  /** Twitch's API answered with an error; `data.status` and `data.message` are Twitch's. */
  TWITCH_API_FAILED: "SS_TWITCH_API_FAILED",
  /** The token lacks a scope a call or subscription needs; `data.scopes` names them. */
  TWITCH_MISSING_SCOPE: "SS_TWITCH_MISSING_SCOPE",
  /** The Twitch settings are incomplete or invalid (client id, channel, tokens). */
  TWITCH_CONFIG_INVALID: "SS_TWITCH_CONFIG_INVALID",
  /** A token was refused and could not be refreshed (revoked, expired refresh token): run `starstreamer auth`. */
  TWITCH_AUTH_INVALID: "SS_TWITCH_AUTH_INVALID",
  /** The device-code login was denied on the activation page. */
  TWITCH_AUTH_DENIED: "SS_TWITCH_AUTH_DENIED",
  /** The device-code login was not approved in time. */
  TWITCH_AUTH_EXPIRED: "SS_TWITCH_AUTH_EXPIRED",
  /** The login endpoint answered something unexpected (network, bad client id). */
  TWITCH_AUTH_FAILED: "SS_TWITCH_AUTH_FAILED",
} as const;

/** One of the {@link PluginErrorCodes} values. */
export type PluginErrorCode = (typeof PluginErrorCodes)[keyof typeof PluginErrorCodes];
