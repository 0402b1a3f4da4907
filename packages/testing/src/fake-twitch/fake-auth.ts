import { randomBytes } from "node:crypto";
import { Recorder } from "../fake-plugins.ts";
import type { HttpAnswer } from "./fake-eventsub.ts";
import type { FakeState, FakeToken, FakeUser } from "./fake-state.ts";

/** A device-code login in progress, as the fake tracks it. */
export interface FakeDeviceLogin {
  deviceCode: string;
  userCode: string;
  clientId: string;
  scopes: string[];
  status: "pending" | "approved" | "denied";
  user: FakeUser | null;
  expiresAt: number;
  /** Answer the next poll with `slow_down`. */
  slowDownNext: boolean;
}

/** The OAuth part of the fake Twitch (`https://id.twitch.tv/oauth2`, `/auth/...` in mock mode). */
export class FakeAuth {
  readonly #state: FakeState;
  readonly #devices = new Map<string, FakeDeviceLogin>();
  readonly #deviceIntervalSeconds: number;
  /** Device logins started, in order; a test waits for one, then approves or denies it. */
  readonly deviceLogins = new Recorder<FakeDeviceLogin>();
  /** Refresh grants answered (`ok` false when the refresh token was refused). */
  readonly refreshes = new Recorder<{ ok: boolean; userId: string | null }>();

  constructor(state: FakeState, deviceIntervalSeconds: number) {
    this.#state = state;
    this.#deviceIntervalSeconds = deviceIntervalSeconds;
  }

  /** Approves a pending device login (the newest one by default) as `login` (default the broadcaster). */
  approve(login?: string, userCode?: string): FakeDeviceLogin {
    const device = this.#pending(userCode);
    device.status = "approved";
    device.user = login ? this.#state.user(login) : this.#state.broadcaster;
    return device;
  }

  /** The user presses "Cancel" on the activation page. */
  deny(userCode?: string): FakeDeviceLogin {
    const device = this.#pending(userCode);
    device.status = "denied";
    return device;
  }

  /** Lets a device login run out of time. */
  expire(userCode?: string): FakeDeviceLogin {
    const device = this.#pending(userCode);
    device.expiresAt = 0;
    return device;
  }

  /** Answers the next poll of a device login with `slow_down`. */
  slowDown(userCode?: string): void {
    this.#pending(userCode).slowDownNext = true;
  }

  /** Answers one `/auth/...` request; `params` merges the query string and a form body. */
  handle(
    method: string,
    path: string,
    params: Record<string, string>,
    authorization: string | null,
  ): HttpAnswer {
    switch (`${method} ${path}`) {
      case "GET /validate": {
        const token = this.#state.lookup(authorization);
        if (!token) return fail(401, "invalid access token");
        const user = this.#state.userById(token.userId);
        return {
          status: 200,
          body: {
            client_id: token.clientId,
            login: user?.login ?? "",
            scopes: token.scopes,
            user_id: token.userId,
            expires_in:
              token.expiresAt === null ? 0 : Math.max(0, Math.floor((token.expiresAt - Date.now()) / 1000)),
          },
        };
      }
      case "POST /device":
        return this.#startDevice(params);
      case "POST /token":
        return this.#token(params);
      case "POST /revoke": {
        if (!params.token) return fail(400, "missing token");
        this.#state.revoke(params.token);
        return { status: 200, body: null };
      }
      default:
        return fail(404, `the fake Twitch has no auth endpoint ${method} ${path}`);
    }
  }

  #startDevice(params: Record<string, string>): HttpAnswer {
    if (!params.client_id) return fail(400, "missing client_id");
    const userCode = Array.from(randomBytes(8), (b) => "ABCDEFGHJKLMNPQRSTUVWXYZ"[b % 24]).join("");
    const device: FakeDeviceLogin = {
      deviceCode: randomBytes(20).toString("hex"),
      userCode,
      clientId: params.client_id,
      scopes: (params.scopes ?? "").split(/[ +]/).filter(Boolean),
      status: "pending",
      user: null,
      expiresAt: Date.now() + 1_800_000,
      slowDownNext: false,
    };
    this.#devices.set(device.deviceCode, device);
    this.deviceLogins.push(device);
    return {
      status: 200,
      body: {
        device_code: device.deviceCode,
        expires_in: 1800,
        interval: this.#deviceIntervalSeconds,
        user_code: userCode,
        verification_uri: `https://www.twitch.tv/activate?public=true&device-code=${userCode}`,
      },
    };
  }

  #token(params: Record<string, string>): HttpAnswer {
    switch (params.grant_type) {
      case "urn:ietf:params:oauth:grant-type:device_code": {
        const device = this.#devices.get(params.device_code ?? "");
        if (!device || device.clientId !== params.client_id) return fail(400, "invalid device code");
        if (device.expiresAt < Date.now()) {
          this.#devices.delete(device.deviceCode);
          return fail(400, "invalid device code");
        }
        if (device.slowDownNext) {
          device.slowDownNext = false;
          return fail(400, "slow_down");
        }
        if (device.status === "pending") return fail(400, "authorization_pending");
        this.#devices.delete(device.deviceCode);
        if (device.status === "denied" || !device.user) return fail(400, "access_denied");
        return tokenAnswer(
          this.#state.mintToken(device.user, { scopes: device.scopes, clientId: device.clientId }),
        );
      }
      case "refresh_token": {
        const old = this.#state.refreshTokens.get(params.refresh_token ?? "");
        if (!old) {
          this.refreshes.push({ ok: false, userId: null });
          return fail(400, "Invalid refresh token");
        }
        // Like Twitch: the old access token stays valid until it expires; the refresh token is reused.
        const user = this.#state.userById(old.userId)!;
        const fresh = this.#state.mintToken(user, { scopes: old.scopes, clientId: old.clientId });
        this.refreshes.push({ ok: true, userId: user.id });
        return tokenAnswer(fresh);
      }
      default:
        return fail(400, `unsupported grant_type ${params.grant_type}`);
    }
  }

  #pending(userCode?: string): FakeDeviceLogin {
    const candidates = [...this.#devices.values()].filter((d) => d.status === "pending");
    const device = userCode ? candidates.find((d) => d.userCode === userCode) : candidates.at(-1);
    if (!device) throw new Error(`no pending device login${userCode ? ` with code ${userCode}` : ""}`);
    return device;
  }
}

function tokenAnswer(token: FakeToken): HttpAnswer {
  return {
    status: 200,
    body: {
      access_token: token.accessToken,
      expires_in: token.expiresAt === null ? 0 : Math.floor((token.expiresAt - Date.now()) / 1000),
      refresh_token: token.refreshToken,
      scope: token.scopes,
      token_type: "bearer",
    },
  };
}

function fail(status: number, message: string): HttpAnswer {
  return { status, body: { status, message } };
}
