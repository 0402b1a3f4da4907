import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openHostStore } from "@starstreamer/storage";
import { createFakeTwitch, type FakeTwitchServer, Recorder } from "@starstreamer/testing";
import { afterEach, describe, expect, it } from "vitest";
import { createTokenStore } from "../../apps/cli/src/auth/token-store-access.ts";
import { main } from "../../apps/cli/src/main.ts";

let fake: FakeTwitchServer | undefined;
let dir: string | undefined;
afterEach(async () => {
  await fake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  fake = undefined;
  dir = undefined;
});

async function setup() {
  fake = await createFakeTwitch({ acceptAnyToken: false, channel: "streamer" });
  dir = mkdtempSync(join(tmpdir(), "ss-auth-"));
  const out = new Recorder<string>();
  const err = new Recorder<string>();
  const io = {
    out: (text: string) => out.push(text),
    err: (text: string) => err.push(text),
    cwd: dir,
    env: {
      TWITCH_MOCK_PORT: String(fake.port),
      TWITCH_CHANNEL: "streamer",
      STARSTREAMER_DATA_DIR: join(dir, "data"),
    },
  };
  const saved = async () => {
    const store = await openHostStore(join(dir!, "data", "starstreamer.db"));
    try {
      return {
        broadcaster: await createTokenStore(store.db).get("broadcaster"),
        bot: await createTokenStore(store.db).get("bot"),
      };
    } finally {
      await store.close();
    }
  };
  return { fake, io, out, err, saved };
}

describe("npx starstreamer auth (device code against the fake Twitch)", () => {
  it("shows the activation URL and code, waits for approval and saves the broadcaster login without printing tokens", async () => {
    const { fake, io, out, saved } = await setup();
    const run = main(["auth"], io);
    const shown = await out.waitFor((line) => /enter the code/.test(line), 10_000, "the code");
    const device = fake.auth.deviceLogins.items[0]!;
    expect(shown).toBe(
      `Open https://www.twitch.tv/activate?public=true&device-code=${device.userCode} and enter the code ${device.userCode}`,
    );
    fake.auth.approve("streamer");
    expect(await run).toBe(0);
    const { broadcaster } = await saved();
    expect(broadcaster).toMatchObject({
      account: "broadcaster",
      login: "streamer",
      userId: "1",
      clientId: "starstreamer-mock-client",
    });
    expect(broadcaster!.scopes).toEqual(
      expect.arrayContaining(["moderator:read:followers", "clips:edit", "chat:edit"]),
    );
    const printed = out.items.join("\n");
    expect(printed).toMatch(/Logged in as streamer \(broadcaster\)/);
    expect(printed).not.toContain(broadcaster!.accessToken);
    expect(printed).not.toContain(broadcaster!.refreshToken!);

    const status: string[] = [];
    expect(await main(["auth", "--status"], { ...io, out: (t) => status.push(t) })).toBe(0);
    expect(status.join("\n")).toMatch(/broadcaster +streamer \(id 1\)/);
    expect(status.join("\n")).toMatch(/bot +none/);
    expect(status.join("\n")).not.toContain(broadcaster!.accessToken);
  });

  it("logs the bot account in with chat scopes only", async () => {
    const { fake, io, out, saved } = await setup();
    const run = main(["auth", "--bot"], io);
    await out.waitFor((line) => /enter the code/.test(line), 10_000, "the code");
    expect(fake.auth.deviceLogins.items[0]!.scopes).toEqual(["chat:read", "chat:edit"]);
    fake.auth.approve("starbot");
    expect(await run).toBe(0);
    expect((await saved()).bot).toMatchObject({ login: "starbot", scopes: ["chat:read", "chat:edit"] });
  });

  it("says so and exits 1 when the login is denied or expires", async () => {
    const { fake, io, out, err } = await setup();
    const denied = main(["auth"], io);
    await out.waitFor((line) => /enter the code/.test(line), 10_000, "the code");
    fake.auth.deny();
    expect(await denied).toBe(1);
    expect(err.items.at(-1)).toMatch(/access was denied.*npx starstreamer auth/);

    const since = out.items.length;
    const expired = main(["auth"], io);
    await out.waitFor((line) => /enter the code/.test(line), 10_000, "the second code", since);
    fake.auth.expire();
    expect(await expired).toBe(1);
    expect(err.items.at(-1)).toMatch(/the code expired/);
  });

  it("asks for TWITCH_CLIENT_ID outside mock mode, and refuses unknown flags", async () => {
    const { io, err } = await setup();
    expect(
      await main(["auth"], { ...io, env: { STARSTREAMER_DATA_DIR: io.env.STARSTREAMER_DATA_DIR } }),
    ).toBe(2);
    expect(err.items.at(-1)).toMatch(
      /needs TWITCH_CLIENT_ID: register an application at https:\/\/dev\.twitch\.tv\/console/,
    );
    expect(await main(["auth", "--broadcaster"], io)).toBe(2);
    expect(err.items.at(-1)).toMatch(
      /unknown option --broadcaster; accepted: --bot, --status, --logout, --config/,
    );
  });
});
