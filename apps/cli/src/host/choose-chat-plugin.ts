import { join } from "node:path";
import type { ChatQueueSettings } from "@starstreamer/plugins";
import type { TwitchAccount, TwitchPlugin, TwitchSettings, TwitchTokens } from "@starstreamer/plugins/twitch";
import { openHostStore } from "@starstreamer/storage";
import { StarStreamerError } from "starstreamer";
import { createTokenStore, type StoredTwitchToken } from "../auth/token-store-access.ts";
import type { ResolvedConfig } from "../config/load-config.ts";
import { CliErrorCodes, UsageError } from "../errors.ts";

/** Which chat is live: the terminal's local chat, a mock Twitch on 127.0.0.1, or Twitch. */
export type ChatKind = "local" | "mock" | "twitch";

/** What {@link chooseChatPlugin} decided. */
export type ChatPluginChoice =
  | {
      kind: "local";
      /** For the banner: why the chat is local and how to chat. */
      banner: string;
    }
  | {
      kind: "mock" | "twitch";
      /** The Twitch plugin to hand the host (start it with the host's plugins). */
      plugin: TwitchPlugin;
      /** For the banner: where it connects and as whom (the live state comes from `plugin.status()`). */
      banner: string;
      /** Where the login came from, for the banner and logs. */
      login: "environment" | "saved login" | "mock placeholder";
    };

/** Inputs besides the config: the environment and, for tests, the chat queue's settings. */
export interface ChooseChatPluginOptions {
  env: Record<string, string | undefined>;
  /** Priorities and quotas of the chat queue (from the project config, when it has them). */
  chatQueue?: ChatQueueSettings;
  /** Pass twurple's debug lines to the log (tokens are scrubbed either way). */
  debug?: boolean;
}

function toTokens(
  saved: StoredTwitchToken | null,
): (TwitchTokens & { login: string; clientId: string }) | undefined {
  if (!saved) return undefined;
  return {
    accessToken: saved.accessToken,
    refreshToken: saved.refreshToken,
    scopes: saved.scopes,
    expiresIn: saved.expiresIn,
    obtainmentTimestamp: saved.obtainedAt,
    login: saved.login,
    clientId: saved.clientId,
  };
}

/**
 * Picks the chat the bot runs with. `--offline`: the local chat. `TWITCH_MOCK_PORT`: Twitch traffic
 * goes to 127.0.0.1:<port> (a fake Twitch or the Twitch CLI's mock), `TWITCH_CHANNEL` is enough.
 * Otherwise Twitch, when TWITCH_CLIENT_ID with tokens from the environment or a login saved by
 * `starstreamer auth` exist; with neither, the local chat as before. Refreshed tokens of a saved
 * login are written back to the database. Throws a UsageError (exit 2) for incomplete settings.
 * @example
 * const choice = await chooseChatPlugin(config, { env: process.env });
 * const plugins = choice.kind === "local" ? [terminalChat] : [choice.plugin];
 */
export async function chooseChatPlugin(
  config: ResolvedConfig,
  options: ChooseChatPluginOptions,
): Promise<ChatPluginChoice> {
  if (config.offline) {
    return {
      kind: "local",
      banner: "offline (--offline): local chat in this terminal, type !greet or /help",
    };
  }
  // Only a bot that may connect to Twitch loads twurple (about 530 files).
  const { createTwitchPlugin, resolveTwitchSettings } = await import("@starstreamer/plugins/twitch");
  const database = join(config.dataDir, "starstreamer.db");
  const env = options.env;
  const mock = Boolean(env.TWITCH_MOCK_PORT?.trim());
  const fromEnv = Boolean(env.TWITCH_ACCESS_TOKEN?.trim());
  let stored: Partial<Record<TwitchAccount, StoredTwitchToken | null>> = {};
  if (!mock && !fromEnv) {
    const store = await openHostStore(database);
    try {
      const tokens = createTokenStore(store.db);
      stored = { broadcaster: await tokens.get("broadcaster"), bot: await tokens.get("bot") };
    } finally {
      await store.close();
    }
  }
  let settings: TwitchSettings | null;
  try {
    const broadcaster = toTokens(stored.broadcaster ?? null);
    const bot = toTokens(stored.bot ?? null);
    settings = resolveTwitchSettings({
      env,
      ...(config.twitch?.channel ? { channel: config.twitch.channel } : {}),
      stored: { ...(broadcaster ? { broadcaster } : {}), ...(bot ? { bot } : {}) },
    });
  } catch (error) {
    if (error instanceof StarStreamerError)
      throw new UsageError(CliErrorCodes.CONFIG, error.message, error.data);
    throw error;
  }
  if (!settings) {
    return {
      kind: "local",
      banner:
        "offline (no Twitch login: run npx starstreamer auth, or set TWITCH_MOCK_PORT for a mock): local chat in this terminal, type !greet or /help",
    };
  }
  const login =
    settings.kind === "mock" && !fromEnv ? "mock placeholder" : fromEnv ? "environment" : "saved login";
  const saveTokens = async (account: TwitchAccount, tokens: TwitchTokens) => {
    if (login !== "saved login" || !stored[account]) return;
    const store = await openHostStore(database);
    try {
      await createTokenStore(store.db).updateTokens(account, {
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken,
        scopes: tokens.scopes ?? stored[account]!.scopes,
        expiresIn: tokens.expiresIn ?? null,
        obtainedAt: tokens.obtainmentTimestamp ?? Date.now(),
      });
    } finally {
      await store.close();
    }
  };
  const plugin = createTwitchPlugin({
    settings,
    saveTokens,
    ...(options.chatQueue ? { chatQueue: options.chatQueue } : {}),
    ...(options.debug ? { debug: true } : {}),
  });
  const as = settings.bot ? ` (chat as ${stored.bot?.login ?? "the bot account"})` : "";
  const banner =
    settings.kind === "mock"
      ? `mock Twitch at 127.0.0.1:${settings.mockPort} (TWITCH_MOCK_PORT): #${settings.channel}${as}`
      : `Twitch: #${settings.channel}${as}, login from ${login === "environment" ? "the environment" : "npx starstreamer auth"}`;
  return { kind: settings.kind, plugin, banner, login };
}
