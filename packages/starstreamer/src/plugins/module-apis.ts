/**
 * What modules can ask of the platform plugins. The host owns the real connections on the main
 * thread; inside a module these arrive as proxies (`ctx.twitch`, `ctx.obs`) whose every call is
 * asynchronous. Plugins add methods with `declare module "starstreamer"`.
 */
import type { ObsPluginApi } from "./obs-api.ts";
import type { TwitchPluginApi } from "./twitch-api.ts";

/**
 * The plugins a handler can reach through its context, by name. Extend with
 * `declare module "starstreamer" { interface Plugins { discord: DiscordApi } }`.
 */
export interface Plugins {
  twitch: TwitchPluginApi;
  obs: ObsPluginApi;
}
