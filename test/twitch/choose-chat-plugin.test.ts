import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openHostStore } from "@starstreamer/storage";
import { createFakeTwitch, type FakeTwitchServer } from "@starstreamer/testing";
import type { Logger } from "starstreamer";
import { afterEach, describe, expect, it } from "vitest";
import { createTokenStore } from "../../apps/cli/src/auth/token-store-access.ts";
import { loadConfig } from "../../apps/cli/src/config/load-config.ts";
import { chooseChatPlugin } from "../../apps/cli/src/host/choose-chat-plugin.ts";

let dir: string | undefined;
let fake: FakeTwitchServer | undefined;
afterEach(async () => {
  await fake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
  fake = undefined;
});

async function config(env: Record<string, string>, offline = false) {
  dir ??= mkdtempSync(join(tmpdir(), "ss-choose-"));
  const full = { STARSTREAMER_DATA_DIR: join(dir, "data"), ...env };
  return { env: full, config: await loadConfig({ cwd: dir, env: full, flags: { offline } }) };
}

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };

describe("chooseChatPlugin", () => {
  it("keeps the local chat with --offline, and without any login", async () => {
    const offline = await config({ TWITCH_MOCK_PORT: "9" }, true);
    expect(await chooseChatPlugin(offline.config, { env: offline.env })).toEqual({
      kind: "local",
      banner: expect.stringMatching(/^offline \(--offline\)/),
    });
    const none = await config({ TWITCH_CLIENT_ID: "abc" });
    const choice = await chooseChatPlugin(none.config, { env: none.env });
    expect(choice.kind).toBe("local");
    expect(choice.banner).toMatch(/run npx starstreamer auth, or set TWITCH_MOCK_PORT/);
  });

  it("connects to a mock Twitch with only TWITCH_MOCK_PORT and TWITCH_CHANNEL", async () => {
    fake = await createFakeTwitch({ channel: "streamer" });
    const { env, config: resolved } = await config(fake.env);
    const choice = await chooseChatPlugin(resolved, { env });
    if (choice.kind === "local") throw new Error("expected the mock Twitch");
    expect(choice).toMatchObject({ kind: "mock", login: "mock placeholder" });
    expect(choice.banner).toBe(`mock Twitch at 127.0.0.1:${fake.port} (TWITCH_MOCK_PORT): #streamer`);
    await choice.plugin.start({ emit: () => undefined, logger: quiet });
    try {
      expect(choice.plugin.status()).toMatchObject({ kind: "mock", state: "connected" });
      await choice.plugin.forModule("greeter").sendMessage("hello from the mock");
      await fake.waitForBotMessage("hello from the mock");
    } finally {
      await choice.plugin.stop();
    }
  });

  it("uses the login saved by starstreamer auth, and says so", async () => {
    const { env, config: resolved } = await config({});
    const store = await openHostStore(join(resolved.dataDir, "starstreamer.db"));
    await createTokenStore(store.db).save({
      account: "broadcaster",
      userId: "1",
      login: "savedstreamer",
      clientId: "saved-client",
      accessToken: "saved-access",
      refreshToken: "saved-refresh",
      scopes: ["chat:read"],
      expiresIn: 100,
      obtainedAt: 1,
    });
    await store.close();
    const choice = await chooseChatPlugin(resolved, { env });
    expect(choice).toMatchObject({ kind: "twitch", login: "saved login" });
    expect(choice.banner).toBe("Twitch: #savedstreamer, login from npx starstreamer auth");
    expect(choice.banner).not.toContain("saved-access");
  });

  it("turns incomplete settings into a usage error that says what to fix", async () => {
    const { env, config: resolved } = await config({ TWITCH_ACCESS_TOKEN: "abc", TWITCH_CHANNEL: "me" });
    await expect(chooseChatPlugin(resolved, { env })).rejects.toMatchObject({
      code: "SS_CLI_CONFIG",
      message: expect.stringMatching(/set TWITCH_CLIENT_ID/),
    });
  });
});
