/**
 * What modules can ask of the platform plugins. The host owns the real connections on the main
 * thread; inside a module these arrive as proxies (`ctx.twitch`, `ctx.obs`) whose every call is
 * asynchronous. Plugins add methods with `declare module "starstreamer"`.
 */

/** Options of a chat message sent by the bot. */
export interface SendMessageOptions {
  /** Reply in the thread of this chat message id. */
  replyTo?: string;
  /** Channel login to send to; defaults to the bot's main channel. */
  channel?: string;
}

/** The Twitch plugin as a module sees it. */
export interface TwitchPluginApi {
  /** Sends a chat message as the bot. */
  sendMessage(text: string, options?: SendMessageOptions): Promise<void>;
}

/** The OBS plugin as a module sees it. */
export interface ObsPluginApi {
  /** The name of the current program scene. */
  getCurrentScene(): Promise<string>;
  /** Switches the program scene. */
  setCurrentScene(sceneName: string): Promise<void>;
}

/**
 * The plugins a handler can reach through its context, by name. Extend with
 * `declare module "starstreamer" { interface Plugins { discord: DiscordApi } }`.
 */
export interface Plugins {
  twitch: TwitchPluginApi;
  obs: ObsPluginApi;
}
