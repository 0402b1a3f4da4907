import { describe, expect, it } from "vitest";
import { PluginErrorCodes } from "../errors.ts";
import { MOCK_ACCESS_TOKEN, MOCK_CLIENT_ID, resolveTwitchSettings } from "./twitch-settings.ts";

describe("resolveTwitchSettings", () => {
  it("keeps the local chat without a login or mock port, even with a client id set up for auth", () => {
    expect(resolveTwitchSettings({ env: {} })).toBeNull();
    expect(resolveTwitchSettings({ env: { TWITCH_CLIENT_ID: "abc", TWITCH_CHANNEL: "me" } })).toBeNull();
  });

  it("needs only the port and the channel in mock mode", () => {
    expect(resolveTwitchSettings({ env: { TWITCH_MOCK_PORT: "8080", TWITCH_CHANNEL: "#Streamer" } })).toEqual(
      {
        kind: "mock",
        clientId: MOCK_CLIENT_ID,
        channel: "streamer",
        broadcaster: { accessToken: MOCK_ACCESS_TOKEN, refreshToken: null },
        bot: null,
        mockPort: 8080,
      },
    );
  });

  it("takes both accounts from the environment, and stored logins when the environment has none", () => {
    const env = {
      TWITCH_CLIENT_ID: "abc",
      TWITCH_CLIENT_SECRET: "shh",
      TWITCH_CHANNEL: "me",
      TWITCH_ACCESS_TOKEN: "a1",
      TWITCH_REFRESH_TOKEN: "r1",
      TWITCH_BOT_ACCESS_TOKEN: "b1",
    };
    expect(resolveTwitchSettings({ env })).toMatchObject({
      kind: "twitch",
      clientId: "abc",
      clientSecret: "shh",
      broadcaster: { accessToken: "a1", refreshToken: "r1" },
      bot: { accessToken: "b1", refreshToken: null },
    });
    const stored = {
      broadcaster: { accessToken: "s1", refreshToken: "sr1", login: "saved", clientId: "saved-client" },
    };
    expect(resolveTwitchSettings({ env: {}, stored })).toMatchObject({
      kind: "twitch",
      clientId: "saved-client",
      channel: "saved",
      broadcaster: { accessToken: "s1" },
      bot: null,
    });
  });

  it("says what is missing or wrong", () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ TWITCH_MOCK_PORT: "8080" }, /set TWITCH_CHANNEL/],
      [{ TWITCH_MOCK_PORT: "eighty", TWITCH_CHANNEL: "me" }, /TWITCH_MOCK_PORT must be a port number/],
      [{ TWITCH_ACCESS_TOKEN: "a", TWITCH_CHANNEL: "me" }, /set TWITCH_CLIENT_ID/],
      [{ TWITCH_MOCK_PORT: "1", TWITCH_CHANNEL: "not a login" }, /is not a Twitch login/],
    ];
    for (const [env, message] of cases) {
      expect(() => resolveTwitchSettings({ env })).toThrow(message);
      try {
        resolveTwitchSettings({ env });
      } catch (error) {
        expect((error as { code: string }).code).toBe(PluginErrorCodes.TWITCH_CONFIG_INVALID);
      }
    }
  });
});
