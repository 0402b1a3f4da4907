import { createObsPlugin, type LocalChat } from "@starstreamer/plugins";
import { pluginFromObject } from "@starstreamer/runtime";
import type { AnyHostPlugin } from "starstreamer";

/**
 * The platform plugins of a bot process: the chat (the local chat in the terminal for now) and
 * OBS, which runs without OBS and connects when it appears (`OBS_WEBSOCKET_URL`,
 * `OBS_WEBSOCKET_PASSWORD`).
 */
export function choosePlugins(chat: LocalChat): AnyHostPlugin[] {
  return [
    // Modules may only send messages: the chat's /commands belong to the person at the terminal.
    pluginFromObject("twitch", chat, ["sendMessage"]),
    createObsPlugin(),
  ];
}
