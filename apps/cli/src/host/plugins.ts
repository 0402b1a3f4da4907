import { type ChatQueueSettings, createObsPlugin, type LocalChat } from "@starstreamer/plugins";
import type { AnyHostPlugin } from "starstreamer";
import type { ResolvedConfig } from "../config/load-config.ts";
import { chooseChatPlugin } from "./choose-chat-plugin.ts";

/** The plugins a bot process runs with, and what the banner says about its chat. */
export interface ChosenPlugins {
  plugins: AnyHostPlugin[];
  /** Which chat is live: the terminal's local chat, a mock Twitch, or Twitch. */
  chat: "local" | "mock" | "twitch";
  /** The banner's chat line (where it connects, or why it is local). */
  chatBanner: string;
}

/** Each module's chat priority and quota from the project config (`modules.<name>.chat`). */
export function chatQueueSettings(config: Pick<ResolvedConfig, "modules">): ChatQueueSettings {
  const modules: NonNullable<ChatQueueSettings["modules"]> = {};
  for (const [name, settings] of Object.entries(config.modules))
    if (settings.chat) modules[name] = settings.chat;
  return { modules };
}

/**
 * The platform plugins of a bot process, chosen by its configuration: the chat (the local chat in
 * the terminal when offline or without credentials; Twitch, or a mock Twitch with
 * `TWITCH_MOCK_PORT`, otherwise) and OBS, which runs without OBS and connects when it appears
 * (`OBS_WEBSOCKET_URL`, `OBS_WEBSOCKET_PASSWORD`).
 */
export async function choosePlugins(
  config: ResolvedConfig,
  localChat: LocalChat,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ChosenPlugins> {
  const choice = await chooseChatPlugin(config, {
    env,
    debug: config.logLevel === "debug",
    chatQueue: chatQueueSettings(config),
  });
  const chat: AnyHostPlugin = choice.kind === "local" ? localChat : choice.plugin;
  return { plugins: [chat, createObsPlugin()], chat: choice.kind, chatBanner: choice.banner };
}
