import { StarStreamerError } from "starstreamer";
import { PluginErrorCodes } from "../errors.ts";
import { EVENTSUB_TOPICS } from "./eventsub-mapping.ts";

/** Scopes the Helix calls of `ctx.twitch` need (see twitch-helix.ts). */
const HELIX_SCOPES = [
  "clips:edit",
  "moderator:read:chatters",
  "moderation:read",
  "channel:read:vips",
  "moderator:manage:shoutouts",
  "moderator:manage:announcements",
  "moderator:manage:banned_users",
];

/** What the bot account needs: IRC chat. */
export const BOT_SCOPES: readonly string[] = ["chat:read", "chat:edit"];

/** What the broadcaster's login asks for: every EventSub topic, the Helix calls, and chat. */
export const BROADCASTER_SCOPES: readonly string[] = [
  ...new Set([
    ...Object.values(EVENTSUB_TOPICS).flatMap((t) => t.scopes.slice(0, 1)),
    ...HELIX_SCOPES,
    ...BOT_SCOPES,
  ]),
];

/** Twitch's OAuth base; in mock mode `http://127.0.0.1:<port>/auth`. */
export const TWITCH_AUTH_URL = "https://id.twitch.tv/oauth2";

/** The code to show the user. */
export interface DeviceCodePrompt {
  verificationUri: string;
  userCode: string;
  expiresInSeconds: number;
}

/** A finished login. Secrets: store them, never print them. */
export interface DeviceCodeLogin {
  userId: string;
  login: string;
  accessToken: string;
  refreshToken: string | null;
  scopes: string[];
  expiresIn: number | null;
  obtainedAt: number;
}

/** How to run a device-code login. */
export interface DeviceCodeOptions {
  clientId: string;
  scopes: readonly string[];
  /** Default {@link TWITCH_AUTH_URL}. */
  authUrl?: string;
  /** Shows the verification URL and code. */
  onPrompt(prompt: DeviceCodePrompt): void;
  /** Told about each wait, for a progress line. */
  onPoll?(state: "pending" | "slow_down"): void;
  /** Added to the poll interval on `slow_down` (Twitch says 5 s). */
  slowDownMs?: number;
  signal?: AbortSignal;
}

function failure(code: string, message: string): StarStreamerError {
  return new StarStreamerError(code, message);
}

async function post(url: string, form: Record<string, string>, signal?: AbortSignal) {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
      body: new URLSearchParams(form).toString(),
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    throw failure(
      PluginErrorCodes.TWITCH_AUTH_FAILED,
      `Twitch login: could not reach ${new URL(url).origin}: ${(error as Error).message}`,
    );
  }
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  return { status: response.status, body };
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const cancel = () => {
      clearTimeout(timer);
      reject(failure(PluginErrorCodes.TWITCH_AUTH_FAILED, "Twitch login cancelled"));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", cancel);
      resolve();
    }, ms);
    signal?.addEventListener("abort", cancel, { once: true });
  });

/**
 * Logs a Twitch account in with the Device Code Grant flow: asks Twitch for a code, shows the
 * verification URL and code through `onPrompt`, polls until the user approves (waiting on
 * `authorization_pending`, slowing down on `slow_down`), then checks whose token it is.
 * Rejects with SS_TWITCH_AUTH_DENIED, SS_TWITCH_AUTH_EXPIRED or SS_TWITCH_AUTH_FAILED.
 * @example
 * const login = await deviceCodeLogin({ clientId, scopes: BROADCASTER_SCOPES, onPrompt: (p) => console.log(p.verificationUri, p.userCode) });
 */
export async function deviceCodeLogin(options: DeviceCodeOptions): Promise<DeviceCodeLogin> {
  const base = (options.authUrl ?? TWITCH_AUTH_URL).replace(/\/$/, "");
  const scopes = options.scopes.join(" ");
  const start = await post(`${base}/device`, { client_id: options.clientId, scopes }, options.signal);
  const { device_code, user_code, verification_uri, interval, expires_in } = start.body as Record<
    string,
    unknown
  >;
  if (start.status !== 200 || typeof device_code !== "string" || typeof user_code !== "string") {
    throw failure(
      PluginErrorCodes.TWITCH_AUTH_FAILED,
      `Twitch login: could not start (${start.status} ${String(start.body.message ?? "")}); check TWITCH_CLIENT_ID and that the application allows the device flow (Public client type)`,
    );
  }
  const expiresIn = typeof expires_in === "number" ? expires_in : 1800;
  const deadline = Date.now() + expiresIn * 1000;
  options.onPrompt({
    verificationUri:
      typeof verification_uri === "string" ? verification_uri : "https://www.twitch.tv/activate",
    userCode: user_code,
    expiresInSeconds: expiresIn,
  });
  let waitMs = (typeof interval === "number" ? interval : 5) * 1000;
  for (;;) {
    await sleep(waitMs, options.signal);
    if (Date.now() > deadline) {
      throw failure(
        PluginErrorCodes.TWITCH_AUTH_EXPIRED,
        "Twitch login: the code expired before it was approved; run `npx starstreamer auth` again",
      );
    }
    const poll = await post(
      `${base}/token`,
      {
        client_id: options.clientId,
        scopes,
        device_code,
        grant_type: "urn:ietf:params:oauth:grant-type:device_code",
      },
      options.signal,
    );
    if (poll.status === 200 && typeof poll.body.access_token === "string") {
      return finish(base, options.clientId, poll.body);
    }
    const message = String(poll.body.message ?? poll.body.error ?? poll.status);
    if (message === "authorization_pending") {
      options.onPoll?.("pending");
    } else if (message === "slow_down") {
      waitMs += options.slowDownMs ?? 5000;
      options.onPoll?.("slow_down");
    } else if (/denied/i.test(message)) {
      throw failure(
        PluginErrorCodes.TWITCH_AUTH_DENIED,
        "Twitch login: access was denied on the activation page; run `npx starstreamer auth` again to retry",
      );
    } else if (/invalid device code|expired/i.test(message)) {
      throw failure(
        PluginErrorCodes.TWITCH_AUTH_EXPIRED,
        "Twitch login: the code expired before it was approved; run `npx starstreamer auth` again",
      );
    } else {
      throw failure(PluginErrorCodes.TWITCH_AUTH_FAILED, `Twitch login failed: ${message}`);
    }
  }
}

async function finish(
  base: string,
  clientId: string,
  body: Record<string, unknown>,
): Promise<DeviceCodeLogin> {
  const accessToken = body.access_token as string;
  let response: Response;
  try {
    response = await fetch(`${base}/validate`, {
      headers: { Authorization: `OAuth ${accessToken}`, "Client-Id": clientId },
    });
  } catch (error) {
    throw failure(
      PluginErrorCodes.TWITCH_AUTH_FAILED,
      `Twitch login: could not check the new token: ${(error as Error).message}`,
    );
  }
  const info = (await response.json().catch(() => ({}))) as {
    user_id?: string;
    login?: string;
    scopes?: string[];
  };
  if (!response.ok || !info.user_id || !info.login) {
    throw failure(
      PluginErrorCodes.TWITCH_AUTH_FAILED,
      `Twitch login: Twitch did not accept the new token (${response.status})`,
    );
  }
  return {
    userId: info.user_id,
    login: info.login,
    accessToken,
    refreshToken: typeof body.refresh_token === "string" ? body.refresh_token : null,
    scopes: Array.isArray(body.scope) ? (body.scope as string[]) : (info.scopes ?? []),
    expiresIn: typeof body.expires_in === "number" ? body.expires_in : null,
    obtainedAt: Date.now(),
  };
}
