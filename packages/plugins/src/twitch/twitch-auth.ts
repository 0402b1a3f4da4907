import {
  type AccessToken,
  type AuthProvider,
  getTokenInfo,
  InvalidTokenError,
  RefreshingAuthProvider,
  refreshUserToken,
  StaticAuthProvider,
} from "@twurple/auth";
import { StarStreamerError } from "starstreamer";
import { PluginErrorCodes } from "../errors.ts";
import { type SecretRedactor, safeMessage } from "./redact.ts";
import type { TwitchAccount, TwitchSettings, TwitchTokens } from "./twitch-settings.ts";

/** Who a token belongs to and what it may do. */
export interface TwitchIdentity {
  userId: string;
  login: string;
  scopes: string[];
}

/** The auth providers the plugin's twurple clients use, and whom they act as. */
export interface TwitchAuth {
  /** The broadcaster's provider: Helix and EventSub. */
  api: AuthProvider;
  /** The bot's provider (the broadcaster's when there is no bot account): chat. */
  chat: AuthProvider;
  broadcaster: TwitchIdentity;
  bot: TwitchIdentity;
}

/** Callbacks for token changes: persist refreshed tokens, report a refresh that failed. */
export interface TwitchAuthHooks {
  redactor: SecretRedactor;
  /** A token was refreshed: save it (the store keeps it for the next start). */
  onRefresh?(account: TwitchAccount, tokens: TwitchTokens): void;
  /** A refresh failed: the token was revoked or the refresh token expired. */
  onRefreshFailure?(account: TwitchAccount, error: StarStreamerError): void;
}

function authInvalid(account: TwitchAccount, detail: string): StarStreamerError {
  return new StarStreamerError(
    PluginErrorCodes.TWITCH_AUTH_INVALID,
    `Twitch refused the ${account}'s login (${detail}); run \`npx starstreamer auth\` to log in again`,
    { data: { account } },
  );
}

function toTokens(token: AccessToken): TwitchTokens {
  return {
    accessToken: token.accessToken,
    refreshToken: token.refreshToken,
    scopes: token.scope,
    expiresIn: token.expiresIn,
    obtainmentTimestamp: token.obtainmentTimestamp,
  };
}

/** Validates a token, refreshing it once when Twitch refuses it and a refresh token exists. */
async function validate(
  settings: TwitchSettings,
  account: TwitchAccount,
  tokens: TwitchTokens,
  hooks: TwitchAuthHooks,
): Promise<{ tokens: TwitchTokens; identity: TwitchIdentity }> {
  hooks.redactor.add(tokens.accessToken);
  hooks.redactor.add(tokens.refreshToken);
  let current = tokens;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const info = await getTokenInfo(current.accessToken, settings.clientId);
      if (!info.userId || !info.userName) throw authInvalid(account, "it is an app token, not a user's");
      return {
        tokens: current,
        identity: { userId: info.userId, login: info.userName, scopes: info.scopes },
      };
    } catch (error) {
      if (error instanceof StarStreamerError) throw error;
      if (!(error instanceof InvalidTokenError)) {
        throw new StarStreamerError(
          PluginErrorCodes.TWITCH_AUTH_FAILED,
          `Twitch: could not check the ${account}'s token: ${safeMessage(error, hooks.redactor)}`,
          { data: { account } },
        );
      }
      if (attempt > 0 || !current.refreshToken)
        throw authInvalid(account, "the access token is invalid or expired");
      try {
        const fresh = await refreshUserToken(
          settings.clientId,
          settings.clientSecret as string,
          current.refreshToken,
        );
        current = toTokens(fresh);
        hooks.redactor.add(current.accessToken);
        hooks.redactor.add(current.refreshToken);
        hooks.onRefresh?.(account, current);
      } catch (refreshError) {
        throw authInvalid(
          account,
          `the refresh token was refused: ${safeMessage(refreshError, hooks.redactor)}`,
        );
      }
    }
  }
  throw authInvalid(account, "the token could not be validated");
}

function provider(
  settings: TwitchSettings,
  account: TwitchAccount,
  tokens: TwitchTokens,
  identity: TwitchIdentity,
  intents: string[],
  hooks: TwitchAuthHooks,
): AuthProvider {
  if (!tokens.refreshToken)
    return new StaticAuthProvider(settings.clientId, tokens.accessToken, identity.scopes);
  // An undefined secret is left out of the refresh request: public clients (device-code logins) have none.
  const refreshing = new RefreshingAuthProvider({
    clientId: settings.clientId,
    clientSecret: settings.clientSecret as string,
  });
  refreshing.addUser(
    identity.userId,
    {
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      scope: identity.scopes,
      expiresIn: tokens.expiresIn ?? null,
      obtainmentTimestamp: tokens.obtainmentTimestamp ?? Date.now(),
    },
    intents,
  );
  refreshing.onRefresh((_userId, token) => {
    hooks.redactor.add(token.accessToken);
    hooks.redactor.add(token.refreshToken);
    hooks.onRefresh?.(account, toTokens(token));
  });
  refreshing.onRefreshFailure((_userId, error) => {
    hooks.onRefreshFailure?.(account, authInvalid(account, safeMessage(error, hooks.redactor)));
  });
  return refreshing;
}

/**
 * Checks both accounts' tokens with Twitch (refreshing a refused one once) and builds their
 * providers: RefreshingAuthProvider when a refresh token exists, StaticAuthProvider otherwise.
 * Throws SS_TWITCH_AUTH_INVALID (log in again) or SS_TWITCH_AUTH_FAILED (Twitch unreachable).
 */
export async function createTwitchAuth(
  settings: TwitchSettings,
  hooks: TwitchAuthHooks,
): Promise<TwitchAuth> {
  const b = await validate(settings, "broadcaster", settings.broadcaster, hooks);
  const api = provider(settings, "broadcaster", b.tokens, b.identity, settings.bot ? [] : ["chat"], hooks);
  if (!settings.bot) return { api, chat: api, broadcaster: b.identity, bot: b.identity };
  const bot = await validate(settings, "bot", settings.bot, hooks);
  const chat = provider(settings, "bot", bot.tokens, bot.identity, ["chat"], hooks);
  return { api, chat, broadcaster: b.identity, bot: bot.identity };
}
