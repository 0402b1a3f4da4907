import {
  createFakeTwitch,
  type FakeTwitchOptions,
  type FakeTwitchServer,
  Recorder,
} from "@starstreamer/testing";
import { type Logger, type PluginContext, parseEventData } from "starstreamer/internal";
import { createTwitchPlugin, type TwitchPlugin, type TwitchPluginOptions } from "./twitch-plugin.ts";
import { resolveTwitchSettings, type TwitchSettings } from "./twitch-settings.ts";

/** An event the plugin published, after the same validation the host's bus applies. */
export interface PublishedEvent {
  type: string;
  data: Record<string, unknown>;
  source: string;
}

/** A log line the plugin wrote. */
export interface LoggedLine {
  level: keyof Logger;
  message: string;
  fields?: Record<string, unknown>;
}

/** A fake Twitch and the real plugin (real twurple) pointed at it, for the plugin's tests. */
export interface TwitchHarness {
  fake: FakeTwitchServer;
  plugin: TwitchPlugin;
  events: Recorder<PublishedEvent>;
  logs: Recorder<LoggedLine>;
  /** Waits for a published event of `type` passing `test`. */
  event(
    type: string,
    test?: (data: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<PublishedEvent>;
  close(): Promise<void>;
}

/**
 * Starts a fake Twitch and the Twitch plugin in mock mode against it; resolves once the plugin's
 * start resolved (chat joined and EventSub connected, or its timeout).
 */
export async function startTwitchHarness(
  options: {
    fake?: FakeTwitchOptions;
    plugin?: Omit<TwitchPluginOptions, "settings">;
    settings?: (fake: FakeTwitchServer) => TwitchSettings;
    env?: Record<string, string>;
  } = {},
): Promise<TwitchHarness> {
  const fake = await createFakeTwitch(options.fake);
  const settings =
    options.settings?.(fake) ?? resolveTwitchSettings({ env: { ...fake.env, ...options.env } })!;
  const plugin = createTwitchPlugin({ settings, startTimeoutMs: 10_000, ...options.plugin });
  const events = new Recorder<PublishedEvent>();
  const logs = new Recorder<LoggedLine>();
  const log = (level: keyof Logger) => (message: string, fields?: Record<string, unknown>) => {
    logs.push(fields ? { level, message, fields } : { level, message });
    if (process.env.STARSTREAMER_TEST_LOGS) console.log(level, message);
  };
  const logger: Logger = { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") };
  const context: PluginContext = {
    emit: (type, data, source) => {
      const parsed = parseEventData(type, data) as Record<string, unknown>;
      events.push({ type, data: parsed, source });
      return parsed;
    },
    logger,
  };
  await plugin.start(context);
  return {
    fake,
    plugin,
    events,
    logs,
    event: (type, test = () => true, timeoutMs = 10_000) =>
      events.waitFor((e) => e.type === type && test(e.data), timeoutMs, `a ${type} event`),
    async close() {
      await plugin.stop();
      await fake.close();
    },
  };
}
