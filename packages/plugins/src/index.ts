/**
 * StarStreamer platform plugins, one folder each. For now the local chat, which stands in for
 * Twitch chat when the bot runs offline.
 *
 * @packageDocumentation
 */
export * from "./local-chat/index.ts";
export * from "./obs/index.ts";
