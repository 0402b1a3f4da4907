/**
 * StarStreamer platform plugins, one folder each: the Twitch plugin (chat, EventSub, Helix), the
 * local chat that stands in for it offline, the chat queue both send through, and OBS.
 *
 * @packageDocumentation
 */
export * from "./chat-queue/index.ts";
export { type PluginErrorCode, PluginErrorCodes } from "./errors.ts";
export * from "./local-chat/index.ts";
export * from "./obs/index.ts";
export * from "./twitch/index.ts";
