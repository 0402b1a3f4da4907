import { createTestHost, type TestHost } from "@starstreamer/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { moduleDir } from "../../../test/admin/paths.ts";
import { startAdminServer } from "./server.ts";

let t: TestHost;

beforeAll(async () => {
  t = await createTestHost({ modules: [moduleDir("greeter")] });
}, 60_000);

afterAll(async () => {
  await t?.close();
});

describe("startAdminServer", () => {
  it("refuses to listen beyond loopback without a token", async () => {
    const error = await startAdminServer({ host: t.host, bindHost: "0.0.0.0", port: 0 }).catch((e) => e);
    expect(error).toMatchObject({ code: "SS_ADMIN_TOKEN_REQUIRED" });
    expect(error.message).toContain("STARSTREAMER_ADMIN_TOKEN");
    const blank = await startAdminServer({ host: t.host, bindHost: "0.0.0.0", port: 0, token: "  " }).catch(
      (e) => e,
    );
    expect(blank).toMatchObject({ code: "SS_ADMIN_TOKEN_REQUIRED" });
  });

  it("serves the page and the API on 127.0.0.1, and close ends open streams", async () => {
    const lines: string[] = [];
    const admin = await startAdminServer({ host: t.host, port: 0, logger: { info: (m) => lines.push(m) } });
    expect(admin.url).toBe(`http://127.0.0.1:${admin.port}`);
    expect(lines).toEqual([`admin page: ${admin.url}/modules`]);
    const list = await fetch(`${admin.url}/api/modules`);
    expect(list.status).toBe(200);
    expect(((await list.json()) as { modules: Array<{ name: string }> }).modules.map((m) => m.name)).toEqual([
      "greeter",
    ]);
    const root = await fetch(`${admin.url}/`, { redirect: "manual" });
    expect(root.status).toBe(302);

    const stream = await fetch(`${admin.url}/api/events/stream`);
    const reader = stream.body!.pipeThrough(new TextDecoderStream()).getReader();
    expect((await reader.read()).value).toContain("event: stats");
    await admin.close();
    let done = false;
    while (!done) done = (await reader.read()).done;
    expect(done).toBe(true);
    await expect(fetch(`${admin.url}/api/modules`)).rejects.toThrow();
  });

  it("listens on every interface with a token, and every /api request needs it", async () => {
    const token = "a-long-random-admin-token";
    const admin = await startAdminServer({
      host: t.host,
      bindHost: "0.0.0.0",
      port: 0,
      token,
      logger: { info() {} },
    });
    try {
      expect(admin.url).toBe(`http://127.0.0.1:${admin.port}`);
      expect((await fetch(`${admin.url}/api/stats`)).status).toBe(401);
      const ok = await fetch(`${admin.url}/api/stats`, { headers: { authorization: `Bearer ${token}` } });
      expect(ok.status).toBe(200);
      expect((await fetch(`${admin.url}/modules`)).status).toBe(200);
    } finally {
      await admin.close();
    }
  });
});
