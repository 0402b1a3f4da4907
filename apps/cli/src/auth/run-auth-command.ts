import { join, relative } from "node:path";
import { PluginErrorCodes } from "@starstreamer/plugins";
import {
  BOT_SCOPES,
  BROADCASTER_SCOPES,
  deviceCodeLogin,
  MOCK_CLIENT_ID,
  TWITCH_AUTH_URL,
} from "@starstreamer/plugins/twitch";
import { openHostStore } from "@starstreamer/storage";
import { StarStreamerError } from "starstreamer";
import { loadConfig } from "../config/load-config.ts";
import { CliErrorCodes, ExitCode, UsageError } from "../errors.ts";
import type { AuthCommand } from "./parse-auth-args.ts";
import { createTokenStore } from "./token-store-access.ts";

/** Where `auth` writes and which folder and environment it works with. */
export interface AuthIo {
  out(text: string): void;
  err(text: string): void;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** Knobs for tests: the extra wait Twitch asks for on `slow_down` (default 5 s). */
export interface AuthOptions {
  slowDownMs?: number;
  signal?: AbortSignal;
}

/** Login outcomes that are the user's to retry: printed, exit code 1. */
const LOGIN_FAILURES: ReadonlySet<string> = new Set([
  PluginErrorCodes.TWITCH_AUTH_DENIED,
  PluginErrorCodes.TWITCH_AUTH_EXPIRED,
  PluginErrorCodes.TWITCH_AUTH_FAILED,
]);

function where(env: NodeJS.ProcessEnv): { clientId: string; authUrl: string; mock: boolean } {
  const mockPort = env.TWITCH_MOCK_PORT?.trim();
  const clientId = env.TWITCH_CLIENT_ID?.trim();
  if (mockPort) {
    if (!/^\d{1,5}$/.test(mockPort) || Number(mockPort) > 65_535) {
      throw new UsageError(CliErrorCodes.CONFIG, `TWITCH_MOCK_PORT must be a port number, got "${mockPort}"`);
    }
    return { clientId: clientId || MOCK_CLIENT_ID, authUrl: `http://127.0.0.1:${mockPort}/auth`, mock: true };
  }
  if (!clientId) {
    throw new UsageError(
      CliErrorCodes.CONFIG,
      'starstreamer auth needs TWITCH_CLIENT_ID: register an application at https://dev.twitch.tv/console (client type "Public"), then put TWITCH_CLIENT_ID=<its client id> in .env',
    );
  }
  return { clientId, authUrl: TWITCH_AUTH_URL, mock: false };
}

/**
 * Runs `starstreamer auth`: a device-code login for the broadcaster or the bot account, saved in
 * the host's database (tokens are never printed); `--status` lists the saved logins, `--logout`
 * forgets one. Resolves with the exit code (1 when the login was denied, expired or failed).
 */
export async function runAuthCommand(
  command: AuthCommand,
  io: AuthIo,
  options: AuthOptions = {},
): Promise<number> {
  const config = await loadConfig({ cwd: io.cwd, env: io.env, flags: command.flags });
  const file = join(config.dataDir, "starstreamer.db");
  const shown = relative(config.root, file) || file;
  const store = await openHostStore(file);
  try {
    const tokens = createTokenStore(store.db);
    if (command.status) {
      const logins = await tokens.list();
      if (logins.length === 0) io.out(`No saved Twitch login in ${shown}; run: npx starstreamer auth`);
      for (const l of logins) {
        io.out(
          `${l.account.padEnd(11)} ${l.login} (id ${l.userId}), client ${l.clientId}, saved ${new Date(l.updatedAt).toISOString()}`,
        );
        io.out(`${"".padEnd(11)} scopes: ${l.scopes.join(" ") || "none"}`);
      }
      if (!logins.some((l) => l.account === "bot") && logins.length > 0)
        io.out("bot         none: the broadcaster's account chats");
      return ExitCode.OK;
    }
    if (command.logout) {
      await tokens.remove(command.account);
      io.out(
        `Forgot the saved ${command.account} login (Twitch still lists the app under Connections until you disconnect it there).`,
      );
      return ExitCode.OK;
    }
    const { clientId, authUrl, mock } = where(io.env);
    const who =
      command.account === "bot"
        ? "the BOT account (sign in as the bot, e.g. in a private window)"
        : "the BROADCASTER";
    io.out(`Logging in ${who} on ${mock ? `the mock Twitch at ${new URL(authUrl).host}` : "Twitch"}.`);
    const login = await deviceCodeLogin({
      clientId,
      authUrl,
      scopes: command.account === "bot" ? BOT_SCOPES : BROADCASTER_SCOPES,
      ...(options.slowDownMs !== undefined ? { slowDownMs: options.slowDownMs } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      onPrompt: (prompt) => {
        io.out(`Open ${prompt.verificationUri} and enter the code ${prompt.userCode}`);
        io.out(
          `(the code is valid for ${Math.round(prompt.expiresInSeconds / 60)} minutes; waiting for you to approve...)`,
        );
      },
      onPoll: (state) => {
        if (state === "slow_down") io.out("(Twitch asked to poll more slowly; still waiting...)");
      },
    });
    await tokens.save({
      account: command.account,
      userId: login.userId,
      login: login.login,
      clientId,
      accessToken: login.accessToken,
      refreshToken: login.refreshToken,
      scopes: login.scopes,
      expiresIn: login.expiresIn,
      obtainedAt: login.obtainedAt,
    });
    io.out(
      `Logged in as ${login.login} (${command.account}); saved in ${shown}. The bot refreshes the login by itself.`,
    );
    const channel = config.twitch?.channel;
    if (command.account === "broadcaster" && channel && channel !== login.login) {
      io.out(
        `Note: the configured channel is ${channel}, but this login is ${login.login}; EventSub and Helix act on ${login.login}.`,
      );
    }
    if (command.account === "broadcaster")
      io.out("Optional: npx starstreamer auth --bot, to chat as a separate bot account.");
    return ExitCode.OK;
  } catch (error) {
    if (error instanceof StarStreamerError && LOGIN_FAILURES.has(error.code)) {
      io.err(`starstreamer auth: ${error.message}`);
      return ExitCode.FAILURE;
    }
    throw error;
  } finally {
    await store.close();
  }
}
