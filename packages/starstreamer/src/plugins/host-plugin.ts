import type { Logger } from "../module/context.ts";
import type { Plugins } from "./module-apis.ts";

/** The connection states every platform plugin reports (one set, shown by stats and the admin page). */
export const CONNECTION_STATES = [
  "connected",
  "connecting",
  "reconnecting",
  "disconnected",
  "offline",
] as const;
/** A plugin connection's state. `offline`: this plugin runs without a remote (the local chat). */
export type ConnectionState = (typeof CONNECTION_STATES)[number];

/** What a plugin says about itself for stats, the banner and the admin page. */
export interface PluginStatus {
  /** Which implementation is live: `local`, `mock`, `twitch`, `obs`... */
  kind: string;
  state: ConnectionState;
  /** One line for humans: the channel joined, the last error. Never a secret. */
  detail?: string;
  /** Per-connection states when a plugin has several (Twitch: chat and eventsub). */
  connections?: Record<string, ConnectionState>;
}

/** What the host hands a plugin when it starts it. */
export interface PluginContext {
  /** Publishes a domain event on the host's bus; validates and may throw. */
  emit(type: string, data: unknown, source: string): unknown;
  /** The host's logger, tagged with the plugin's name. Secrets must never be passed to it. */
  logger: Logger;
}

/**
 * A platform plugin as the host owns it, on the main thread. The host starts and stops it, shows
 * its status, and gives each module a view of it: modules may call only the methods named in
 * `moduleMethods` (checked on the main thread; anything else is refused with SS_PLUGIN_METHOD_FORBIDDEN).
 * @example
 * const plugin: HostPlugin<"twitch"> = {
 *   name: "twitch",
 *   moduleMethods: ["sendMessage"],
 *   forModule: (module) => ({ sendMessage: (text) => queue.send(module, text) }),
 * };
 */
export interface HostPlugin<Name extends keyof Plugins & string = keyof Plugins & string> {
  /** The context key modules reach it by: `ctx.twitch`, `ctx.obs`. */
  readonly name: Name;
  /** The allow-list: the only methods of `forModule(...)` a module may call. */
  readonly moduleMethods: ReadonlyArray<keyof Plugins[Name] & string>;
  /** The plugin as one module (or `"host"`) sees it; the plugin may record or throttle per module. */
  forModule(module: string): Plugins[Name];
  /** Connects; resolves once it is serving (or has failed in a way it reports through status). */
  start?(context: PluginContext): Promise<void>;
  /** Disconnects; bounded in time. */
  stop?(): Promise<void>;
  status?(): PluginStatus;
}

/** Any one of the host's plugins (a union over the names in `Plugins`). */
export type AnyHostPlugin = { [N in keyof Plugins & string]: HostPlugin<N> }[keyof Plugins & string];
