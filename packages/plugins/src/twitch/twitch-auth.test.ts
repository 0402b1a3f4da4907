import { createFakeTwitch, FAKE_EVENTSUB_TYPES, type FakeTwitchServer } from "@starstreamer/testing";
import { StarStreamerError } from "starstreamer";
import { afterEach, describe, expect, it } from "vitest";
import { PluginErrorCodes } from "../errors.ts";
import { BROADCASTER_SCOPES, type DeviceCodePrompt, deviceCodeLogin } from "./device-code.ts";
import { startTwitchHarness, type TwitchHarness } from "./test-harness.ts";
import type { TwitchAccount, TwitchTokens } from "./twitch-settings.ts";

let fake: FakeTwitchServer | undefined;
let h: TwitchHarness | undefined;
afterEach(async () => {
  await h?.close();
  await fake?.close();
  h = undefined;
  fake = undefined;
});

/** Starts a login; resolves with it once the code is shown (the user can act from then on). */
async function login(server: FakeTwitchServer, prompts: DeviceCodePrompt[] = []) {
  let shown: () => void = () => {};
  const prompted = new Promise<void>((resolve) => (shown = resolve));
  const result = deviceCodeLogin({
    clientId: "my-client",
    scopes: BROADCASTER_SCOPES,
    authUrl: `${server.url}/auth`,
    onPrompt: (p) => {
      prompts.push(p);
      shown();
    },
    slowDownMs: 10,
  });
  result.catch(() => {});
  await Promise.race([prompted, result]);
  return { result };
}

async function failureOf(promise: Promise<unknown>): Promise<StarStreamerError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(StarStreamerError);
    return error as StarStreamerError;
  }
  throw new Error("expected the login to fail");
}

describe("device-code login against the fake Twitch", () => {
  it("shows the code, waits while pending, slows down when told, and returns the approved login", async () => {
    fake = await createFakeTwitch({ acceptAnyToken: false });
    const prompts: DeviceCodePrompt[] = [];
    const { result } = await login(fake, prompts);
    const device = fake.auth.deviceLogins.items[0]!;
    expect(device.scopes).toEqual([...BROADCASTER_SCOPES]);
    expect(prompts).toEqual([
      {
        verificationUri: expect.stringContaining(device.userCode),
        userCode: device.userCode,
        expiresInSeconds: 1800,
      },
    ]);
    fake.auth.slowDown();
    fake.auth.approve("streamer");
    const done = await result;
    expect(done).toMatchObject({ userId: "1", login: "streamer", scopes: [...BROADCASTER_SCOPES] });
    expect(fake.state.lookup(`Bearer ${done.accessToken}`)?.userId).toBe("1");
    expect(done.refreshToken).toEqual(expect.any(String));
  });

  it("says the login was denied", async () => {
    fake = await createFakeTwitch({ acceptAnyToken: false });
    const { result } = await login(fake);
    fake.auth.deny();
    const error = await failureOf(result);
    expect(error.code).toBe(PluginErrorCodes.TWITCH_AUTH_DENIED);
    expect(error.message).toMatch(/denied/);
  });

  it("says the code expired", async () => {
    fake = await createFakeTwitch({ acceptAnyToken: false });
    const { result } = await login(fake);
    fake.auth.expire();
    const error = await failureOf(result);
    expect(error.code).toBe(PluginErrorCodes.TWITCH_AUTH_EXPIRED);
    expect(error.message).toMatch(/npx starstreamer auth/);
  });
});

describe("Twitch plugin tokens", () => {
  const saved: Array<{ account: TwitchAccount; tokens: TwitchTokens }> = [];
  const settingsWith = (tokens: TwitchTokens) => (server: FakeTwitchServer) => ({
    kind: "mock" as const,
    clientId: "my-client",
    channel: "streamer",
    broadcaster: tokens,
    bot: null,
    mockPort: server.port,
  });

  it("refreshes a refused access token at start and saves the new one", async () => {
    saved.length = 0;
    let old = "";
    h = await startTwitchHarness({
      fake: { acceptAnyToken: false },
      plugin: { saveTokens: (account, tokens) => void saved.push({ account, tokens }) },
      settings: (server) => {
        const token = server.issueToken("streamer");
        old = token.accessToken;
        server.state.expire(token.accessToken);
        return settingsWith({ accessToken: token.accessToken, refreshToken: token.refreshToken })(server);
      },
    });
    expect(h.plugin.status().state).toBe("connected");
    expect(saved).toHaveLength(1);
    expect(saved[0]!.account).toBe("broadcaster");
    expect(saved[0]!.tokens.accessToken).not.toBe(old);
    expect(h.fake.auth.refreshes.items).toEqual([{ ok: true, userId: "1" }]);
  });

  it("refreshes when Twitch refuses the token mid-run, and the call goes through", async () => {
    saved.length = 0;
    let current = "";
    h = await startTwitchHarness({
      fake: { acceptAnyToken: false },
      plugin: { saveTokens: (account, tokens) => void saved.push({ account, tokens }) },
      settings: (server) => {
        const token = server.issueToken("streamer");
        current = token.accessToken;
        return settingsWith({ accessToken: token.accessToken, refreshToken: token.refreshToken })(server);
      },
    });
    await h.fake.waitForSubscriptions(Object.keys(FAKE_EVENTSUB_TYPES));
    h.fake.state.expire(current);
    h.fake.goLive({ title: "after refresh" });
    expect(await h.plugin.forModule("uptime").getStreamInfo()).toMatchObject({ title: "after refresh" });
    expect(saved.map((s) => s.account)).toEqual(["broadcaster"]);
    expect(h.fake.state.lookup(`Bearer ${saved[0]!.tokens.accessToken}`)).not.toBeNull();
  });

  it("reports a revoked login clearly, keeps running offline-capable parts and refuses chat with the reason", async () => {
    h = await startTwitchHarness({
      fake: { acceptAnyToken: false },
      settings: (server) => {
        const token = server.issueToken("streamer");
        server.state.revoke(token.accessToken);
        return settingsWith({ accessToken: token.accessToken, refreshToken: token.refreshToken })(server);
      },
    });
    const status = h.plugin.status();
    expect(status.state).toBe("disconnected");
    expect(status.detail).toMatch(/refused the broadcaster's login.*npx starstreamer auth/);
    await h.event("twitch.connection.disconnected", (d) => d.connection === "chat");
    const error = await failureOf(h.plugin.forModule("greeter").sendMessage("hello?"));
    expect(error.code).toBe(PluginErrorCodes.TWITCH_AUTH_INVALID);
    expect(h.logs.items.some((l) => l.level === "error" && /npx starstreamer auth/.test(l.message))).toBe(
      true,
    );
  });
});
