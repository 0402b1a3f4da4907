import { StarStreamerError } from "starstreamer";
import { PluginErrorCodes } from "../errors.ts";

/** A Twitch account's tokens. Secrets: never logged, never handed to a module. */
export interface TwitchTokens {
  accessToken: string;
  refreshToken: string | null;
  /** Scopes, when known (from a login); otherwise read from Twitch's validate endpoint. */
  scopes?: string[];
  /** Seconds the access token was valid for when obtained; null when unknown. */
  expiresIn?: number | null;
  /** Epoch ms when the access token was obtained. */
  obtainmentTimestamp?: number;
}

/** The two Twitch accounts: the broadcaster (EventSub, Helix) and the optional bot (chat). */
export type TwitchAccount = "broadcaster" | "bot";

/** Everything the Twitch plugin needs to connect. */
export interface TwitchSettings {
  /** `twitch`: the real Twitch; `mock`: a fake or the Twitch CLI's mock server on 127.0.0.1. */
  kind: "twitch" | "mock";
  clientId: string;
  clientSecret?: string;
  /** The broadcaster's login: the channel joined and watched. */
  channel: string;
  broadcaster: TwitchTokens;
  /** The bot account's tokens; `null`: the broadcaster chats. */
  bot: TwitchTokens | null;
  /** The mock server's port (mock mode only). */
  mockPort?: number;
  /** The bot is a moderator of the channel (higher chat limits); default: when it is the broadcaster. */
  botIsModerator?: boolean;
}

/** The client id used in mock mode when none is given; the fake Twitch accepts it. */
export const MOCK_CLIENT_ID = "starstreamer-mock-client";
/** The access token used in mock mode when none is given; the fake Twitch accepts any token. */
export const MOCK_ACCESS_TOKEN = "starstreamermocktoken";

/** Where settings may come from besides the environment: stored logins and the config file. */
export interface TwitchSettingsSources {
  env: Record<string, string | undefined>;
  /** `twitch.channel` from the config file (TWITCH_CHANNEL wins). */
  channel?: string;
  /** Tokens saved by `starstreamer auth`, by account. */
  stored?: Partial<Record<TwitchAccount, TwitchTokens & { login?: string; clientId?: string }>>;
}

const LOGIN = /^[a-z0-9_]{1,25}$/;

function invalid(message: string, data: Record<string, unknown> = {}): StarStreamerError {
  return new StarStreamerError(PluginErrorCodes.TWITCH_CONFIG_INVALID, message, { data });
}

/**
 * Resolves the Twitch settings from the environment (and stored logins), or `null` when there is
 * no login and no mock port: then the local chat stays the chat. `TWITCH_MOCK_PORT` selects mock mode, where
 * the channel is enough. Throws SS_TWITCH_CONFIG_INVALID naming what is missing or wrong.
 * @example
 * resolveTwitchSettings({ env: { TWITCH_MOCK_PORT: "8080", TWITCH_CHANNEL: "streamer" } });
 */
export function resolveTwitchSettings(sources: TwitchSettingsSources): TwitchSettings | null {
  const env = sources.env;
  const get = (name: string) => {
    const value = env[name]?.trim();
    return value === undefined || value === "" ? undefined : value;
  };
  const stored = sources.stored ?? {};
  const mockPortText = get("TWITCH_MOCK_PORT");
  const clientId = get("TWITCH_CLIENT_ID") ?? stored.broadcaster?.clientId;
  const envBroadcaster = get("TWITCH_ACCESS_TOKEN");
  const channel = (get("TWITCH_CHANNEL") ?? sources.channel ?? stored.broadcaster?.login)
    ?.toLowerCase()
    .replace(/^#/, "");

  // A client id alone (set up for `starstreamer auth`, no login yet) still means the local chat.
  if (mockPortText === undefined && envBroadcaster === undefined && !stored.broadcaster) return null;
  if (channel === undefined) {
    throw invalid("Twitch: set TWITCH_CHANNEL (or twitch.channel in the config) to the broadcaster's login");
  }
  if (!LOGIN.test(channel)) {
    throw invalid(
      `Twitch: TWITCH_CHANNEL "${channel}" is not a Twitch login (letters, digits and _, up to 25)`,
      {
        channel,
      },
    );
  }
  const tokens = (access: string | undefined, refresh: string | undefined, saved?: TwitchTokens) =>
    access !== undefined ? { accessToken: access, refreshToken: refresh ?? null } : (saved ?? null);
  const broadcaster = tokens(envBroadcaster, get("TWITCH_REFRESH_TOKEN"), stored.broadcaster);
  const bot = tokens(get("TWITCH_BOT_ACCESS_TOKEN"), get("TWITCH_BOT_REFRESH_TOKEN"), stored.bot);
  const clientSecret = get("TWITCH_CLIENT_SECRET");

  if (mockPortText !== undefined) {
    const port = Number(mockPortText);
    if (!Number.isInteger(port) || port < 1 || port > 65_535) {
      throw invalid(`Twitch: TWITCH_MOCK_PORT must be a port number (1-65535), got "${mockPortText}"`);
    }
    return {
      kind: "mock",
      clientId: clientId ?? MOCK_CLIENT_ID,
      ...(clientSecret ? { clientSecret } : {}),
      channel,
      broadcaster: broadcaster ?? { accessToken: MOCK_ACCESS_TOKEN, refreshToken: null },
      bot,
      mockPort: port,
    };
  }
  if (clientId === undefined) {
    throw invalid("Twitch: set TWITCH_CLIENT_ID (your application's client id from dev.twitch.tv/console)");
  }
  if (broadcaster === null) {
    throw invalid(
      "Twitch: no broadcaster login; run `npx starstreamer auth` or set TWITCH_ACCESS_TOKEN (and TWITCH_REFRESH_TOKEN)",
    );
  }
  return { kind: "twitch", clientId, ...(clientSecret ? { clientSecret } : {}), channel, broadcaster, bot };
}
