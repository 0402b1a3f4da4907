import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type HostStore, openHostStore } from "./host-store.ts";
import { createTokenStore, type StoredTwitchToken } from "./token-store.ts";

let dir: string;
let file: string;
const stores: HostStore[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "ss-tokens-"));
  file = join(dir, "starstreamer.db");
});
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

async function open(): Promise<HostStore> {
  const store = await openHostStore(file);
  stores.push(store);
  return store;
}

const broadcaster: StoredTwitchToken = {
  account: "broadcaster",
  userId: "1",
  login: "streamer",
  clientId: "client",
  accessToken: "access-1",
  refreshToken: "refresh-1",
  scopes: ["chat:read", "chat:edit"],
  expiresIn: 14_400,
  obtainedAt: 1_000,
};

describe("token store", () => {
  it("saves a login per account in the host database and reads it back after a restart", async () => {
    const first = createTokenStore((await open()).db);
    expect(await first.get("broadcaster")).toBeNull();
    await first.save(broadcaster);
    await first.save({
      ...broadcaster,
      account: "bot",
      userId: "2",
      login: "botty",
      refreshToken: null,
      expiresIn: null,
    });
    await stores.pop()!.close();

    const again = createTokenStore((await open()).db);
    expect(await again.get("broadcaster")).toEqual(broadcaster);
    expect(await again.get("bot")).toMatchObject({ login: "botty", refreshToken: null, expiresIn: null });
  });

  it("replaces the tokens after a refresh, and a second save replaces the login", async () => {
    const tokens = createTokenStore((await open()).db);
    await tokens.save(broadcaster);
    await tokens.updateTokens("broadcaster", {
      accessToken: "access-2",
      refreshToken: "refresh-2",
      scopes: ["chat:read"],
      expiresIn: 100,
      obtainedAt: 2_000,
    });
    expect(await tokens.get("broadcaster")).toMatchObject({
      accessToken: "access-2",
      refreshToken: "refresh-2",
      obtainedAt: 2_000,
    });
    await tokens.save({ ...broadcaster, login: "renamed" });
    expect((await tokens.get("broadcaster"))?.login).toBe("renamed");
    await tokens.remove("broadcaster");
    expect(await tokens.get("broadcaster")).toBeNull();
  });

  it("lists the logins without their tokens", async () => {
    const tokens = createTokenStore((await open()).db);
    await tokens.save(broadcaster);
    const listed = await tokens.list();
    expect(listed).toEqual([
      expect.objectContaining({
        account: "broadcaster",
        login: "streamer",
        scopes: ["chat:read", "chat:edit"],
      }),
    ]);
    expect(JSON.stringify(listed)).not.toMatch(/access-1|refresh-1/);
  });

  it("refuses an unknown account name", async () => {
    const tokens = createTokenStore((await open()).db);
    await expect(tokens.get("admin" as "bot")).rejects.toThrow(
      /unknown Twitch account "admin"; accepted: broadcaster, bot/,
    );
  });
});
