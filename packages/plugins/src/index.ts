/**
 * StarStreamer platform plugins, one folder each: the local chat that stands in for Twitch offline,
 * the chat queue every chat sends through, and OBS. The Twitch plugin (chat, EventSub, Helix) is
 * the `@starstreamer/plugins/twitch` entry: twurple is about 530 files, so a bot imports it only
 * when it connects to Twitch (an offline start never loads it).
 *
 * @packageDocumentation
 */
export * from "./chat-queue/index.ts";
export { type PluginErrorCode, PluginErrorCodes } from "./errors.ts";
export * from "./local-chat/index.ts";
export * from "./obs/index.ts";
