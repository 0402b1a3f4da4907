import {
  type AnyHostPlugin,
  type HostPlugin,
  type PluginStatus,
  type Plugins,
  StarStreamerError,
} from "starstreamer";
import { asError, RuntimeErrorCodes } from "../errors.ts";
import type { HostLogger } from "../logger.ts";

/**
 * The host's platform plugins, by name: starts and stops them, reports their status, and carries
 * every call a module makes to one. A module may call only the methods a plugin declares in
 * `moduleMethods`; the check runs here, on the main thread, whatever the module's worker sends.
 */
export class PluginHub {
  readonly #plugins = new Map<string, AnyHostPlugin>();
  readonly #views = new Map<string, object>();
  readonly #logger: HostLogger;

  constructor(plugins: readonly AnyHostPlugin[], logger: HostLogger) {
    this.#logger = logger;
    for (const plugin of plugins) {
      if (this.#plugins.has(plugin.name)) throw new Error(`two plugins are named "${plugin.name}"`);
      this.#plugins.set(plugin.name, plugin);
    }
  }

  /** The plugin named `name`, if the host has one. */
  get<N extends keyof Plugins & string>(name: N): HostPlugin<N> | undefined {
    return this.#plugins.get(name) as HostPlugin<N> | undefined;
  }

  names(): string[] {
    return [...this.#plugins.keys()];
  }

  /** Calls `name.method(...args)` as `module` sees the plugin; refuses methods it does not declare. */
  async call(module: string, name: string, method: string, args: unknown[]): Promise<unknown> {
    const plugin = this.#plugins.get(name);
    if (!plugin) {
      throw new StarStreamerError(
        RuntimeErrorCodes.PLUGIN_UNAVAILABLE,
        `${module} called ${name}.${method}, but the ${name} plugin is not connected in this host`,
        { data: { module, plugin: name, method } },
      );
    }
    if (!(plugin.moduleMethods as readonly string[]).includes(method)) {
      throw new StarStreamerError(
        RuntimeErrorCodes.PLUGIN_METHOD_FORBIDDEN,
        `${module} called ${name}.${method}, which the ${name} plugin does not offer to modules (it offers: ${plugin.moduleMethods.join(", ")})`,
        { data: { module, plugin: name, method } },
      );
    }
    const key = `${name}\u0000${module}`;
    let view = this.#views.get(key);
    if (!view) {
      view = plugin.forModule(module) as object;
      this.#views.set(key, view);
    }
    const fn = (view as Record<string, unknown>)[method];
    if (typeof fn !== "function") {
      throw new StarStreamerError(
        RuntimeErrorCodes.PLUGIN_UNAVAILABLE,
        `the ${name} plugin declares ${method} but does not implement it`,
        { data: { module, plugin: name, method } },
      );
    }
    return await (fn as (...a: unknown[]) => unknown).apply(view, args);
  }

  /**
   * Answers a chat event as the host (a command's usage when its arguments are malformed), as a
   * reply to the message when it has an id; without a chat plugin it is dropped, and a failed send
   * is logged. Sent a microtask later: the bus routes an event before its listeners hear of it, and
   * a chat plugin that echoes what it sends must not show the answer before the line it answers.
   */
  replyInChat(event: { data: unknown }, text: string): void {
    if (!this.get("twitch")) return;
    const messageId = (event.data as { messageId?: string }).messageId;
    queueMicrotask(() => {
      this.call("host", "twitch", "sendMessage", [
        text,
        messageId ? { replyTo: messageId } : undefined,
      ]).catch((error: unknown) =>
        this.#logger.warn(`could not send usage reply: ${asError(error).message}`),
      );
    });
  }

  /** Starts every plugin; one that fails is logged and reported by its status, the others go on. */
  async start(emit: (type: string, data: unknown, source: string) => unknown): Promise<void> {
    await Promise.all(
      [...this.#plugins.values()].map(async (plugin) => {
        try {
          await plugin.start?.({ emit, logger: this.#logger.child({ plugin: plugin.name }) });
        } catch (error) {
          this.#logger.error(`plugin ${plugin.name} did not start: ${asError(error).message}`, {
            plugin: plugin.name,
          });
        }
      }),
    );
  }

  /** Stops every plugin, each bounded to `timeoutMs`. */
  async stop(timeoutMs = 5000): Promise<void> {
    await Promise.all(
      [...this.#plugins.values()].map(async (plugin) => {
        let timer: NodeJS.Timeout | undefined;
        try {
          await Promise.race([
            plugin.stop?.(),
            new Promise((_, reject) => {
              timer = setTimeout(() => reject(new Error(`did not stop within ${timeoutMs} ms`)), timeoutMs);
            }),
          ]);
        } catch (error) {
          this.#logger.warn(`plugin ${plugin.name}: ${asError(error).message}`, { plugin: plugin.name });
        } finally {
          clearTimeout(timer);
        }
      }),
    );
  }

  /** Every plugin's status, by name. */
  status(): Record<string, PluginStatus> {
    const out: Record<string, PluginStatus> = {};
    for (const [name, plugin] of this.#plugins) {
      out[name] = plugin.status?.() ?? { kind: name, state: "connected" };
    }
    return out;
  }
}

/**
 * Wraps a plain object as a plugin (tests, simple in-process plugins): modules may call the
 * listed methods, or every method of the object when none are listed. The object may implement
 * only part of the plugin's API; a module calling a method it lacks gets SS_PLUGIN_UNAVAILABLE.
 * @example plugins: [pluginFromObject("twitch", fakeTwitch)]
 */
export function pluginFromObject<N extends keyof Plugins & string>(
  name: N,
  api: Partial<Plugins[N]>,
  methods?: ReadonlyArray<keyof Plugins[N] & string>,
): HostPlugin<N> {
  const all = (): string[] => {
    const found = new Set<string>();
    for (let o: object | null = api as object; o && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
      for (const key of Object.getOwnPropertyNames(o)) {
        if (key !== "constructor" && typeof (api as unknown as Record<string, unknown>)[key] === "function")
          found.add(key);
      }
    }
    return [...found];
  };
  return {
    name,
    moduleMethods: (methods ?? all()) as ReadonlyArray<keyof Plugins[N] & string>,
    forModule: () => api as Plugins[N],
  };
}
