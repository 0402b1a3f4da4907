import { cpSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createLocalChat } from "@starstreamer/plugins";
import { createTestHost, type TestHost } from "@starstreamer/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixture, moduleDir } from "../../../test/admin/paths.ts";
import { type AdminApp, createAdminApp } from "./app.ts";

const HOST = "localhost:8888";
const ALLOWED = ["localhost", "127.0.0.1", "[::1]"];

// biome-ignore lint/suspicious/noExplicitAny: JSON answers; the assertions check their shape
type Json = any;

let t: TestHost;
let app: AdminApp;

/** A request as the page on http://localhost:8888 sends it. */
function call(
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { host: HOST, ...init.headers };
  let body: string | undefined;
  if (init.body !== undefined) {
    body = typeof init.body === "string" ? init.body : JSON.stringify(init.body);
    headers["content-type"] ??= "application/json";
  }
  return app.request(path, { method: init.method ?? (body === undefined ? "GET" : "POST"), body, headers });
}

async function json(path: string, init?: Parameters<typeof call>[1]) {
  const response = await call(path, init);
  return { status: response.status, body: (await response.json()) as Json };
}

beforeAll(async () => {
  t = await createTestHost({ modules: [moduleDir("greeter"), fixture("pinger"), fixture("pinger-fan")] });
  const chat = createLocalChat({ emit: (type, data, source) => t.host.emit(type, data, source) });
  app = createAdminApp({ host: t.host, chat, allowedHosts: ALLOWED });
}, 60_000);

afterAll(async () => {
  await t?.close();
});

describe("module routes", () => {
  it("lists every module with its state, figures and the actions that fit", async () => {
    const { status, body } = await json("/api/modules");
    expect(status).toBe(200);
    expect(body.modules.map((m: { name: string }) => m.name)).toEqual(["greeter", "pinger", "pinger-fan"]);
    const pinger = body.modules.find((m: { name: string }) => m.name === "pinger");
    expect(pinger).toMatchObject({
      state: "enabled",
      version: "1.0.0",
      description: "Answers !ping with pong",
      author: "StarStreamer tests",
      handlers: [{ name: "ping", type: "twitch.chat.message" }],
      actions: ["disable", "reload", "unload"],
    });
    expect(body.modules.find((m: { name: string }) => m.name === "pinger-fan").dependencies).toEqual([
      "pinger",
    ]);
    expect(pinger).not.toHaveProperty("dir");
  });

  it("answers one module, 404 for an unknown one and 400 for a name that is not a name", async () => {
    expect((await json("/api/modules/greeter")).body).toMatchObject({ name: "greeter", state: "enabled" });
    const missing = await json("/api/modules/nobody");
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("SS_MODULE_NOT_FOUND");
    expect(missing.body.error.message).toContain('no module named "nobody"');
    // A dot segment is resolved by URL parsing before routing: it never names a module.
    expect((await json("/api/modules/%2e%2e/reload", { method: "POST" })).body.error.code).toBe(
      "SS_ADMIN_NOT_FOUND",
    );
    for (const bad of [
      "..%2F..%2Fetc%2Fpasswd",
      "a..b",
      "Greeter",
      "a%20b",
      "x".repeat(65),
      "-x",
      "gr%00eeter",
    ]) {
      const response = await json(`/api/modules/${bad}`);
      expect(response.status, bad).toBe(400);
      expect(response.body.error.code, bad).toBe("SS_ADMIN_NAME_INVALID");
    }
    const traversal = await json("/api/modules/..%2Fsecrets/reload", { method: "POST" });
    expect(traversal.status).toBe(400);
    expect(traversal.body.error.code).toBe("SS_ADMIN_NAME_INVALID");
  });

  it("refuses to disable a module others depend on, naming them, and cascades when asked", async () => {
    const refused = await json("/api/modules/pinger/disable", { body: {} });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("SS_DEPENDENTS_ACTIVE");
    expect(refused.body.error.message).toContain("pinger-fan");
    expect(refused.body.error.details).toEqual({ dependents: ["pinger-fan"], module: "pinger" });

    const cascaded = await json("/api/modules/pinger/disable", { body: { cascade: true } });
    expect(cascaded.status).toBe(200);
    expect(cascaded.body.affected).toEqual(["pinger-fan", "pinger"]);
    expect(cascaded.body.module).toMatchObject({ name: "pinger", state: "disabled", enabled: false });
    expect(cascaded.body.module.actions).toEqual(["enable", "reload", "unload"]);

    expect((await json("/api/modules/pinger/enable", { method: "POST" })).body.module.state).toBe("enabled");
    expect((await json("/api/modules/pinger-fan/enable", { method: "POST" })).body.module.state).toBe(
      "enabled",
    );
  });

  it("answers 409 when the action does not fit the state, and loads and unloads", async () => {
    const loaded = await json("/api/modules/greeter/load", { method: "POST" });
    expect(loaded.status).toBe(409);
    expect(loaded.body.error).toMatchObject({
      code: "SS_MODULE_STATE",
      message: "greeter is already loaded",
    });

    const unloaded = await json("/api/modules/greeter/unload", { method: "POST" });
    expect(unloaded.status).toBe(200);
    expect(unloaded.body.module).toMatchObject({ state: "unloaded", actions: ["load"] });

    const enable = await json("/api/modules/greeter/enable", { method: "POST" });
    expect(enable.status).toBe(409);
    expect(enable.body.error.code).toBe("SS_MODULE_STATE");

    const again = await json("/api/modules/greeter/load", { method: "POST" });
    expect(again.status).toBe(200);
    expect(again.body.module.state).toBe("enabled");
    t.chat("!greet", { login: "ada" });
    await t.waitForMessage("Hello Ada! 👋");
  });

  it("reloads with its duration, and a build error is 422 with file:line while the old version serves", async () => {
    const ok = await json("/api/modules/pinger/reload", { method: "POST" });
    expect(ok.status).toBe(200);
    expect(ok.body.reload).toMatchObject({ ok: true, version: "1.0.0" });
    expect(ok.body.reload.durationMs).toBeGreaterThan(0);
    expect(ok.body.module.lastReload).toMatchObject({ ok: true, error: null });

    const source = readFileSync(join(t.modulesDir, "pinger", "actions", "ping.ts"), "utf8");
    t.writeModuleFile("pinger", "actions/ping.ts", `${source}\nconst broken = ;\n`);
    const failed = await json("/api/modules/pinger/reload", { method: "POST" });
    expect(failed.status).toBe(422);
    expect(failed.body.error.code).toBe("SS_MODULE_BUILD_FAILED");
    expect(failed.body.error.message).toMatch(/ping\.ts:\d+:\d+/);
    expect(failed.body.error.message).not.toContain("    at ");

    const after = await json("/api/modules/pinger");
    expect(after.body.state).toBe("enabled");
    expect(after.body.lastReload.ok).toBe(false);
    expect(after.body.lastReload.error).toMatch(/ping\.ts:\d+:\d+/);
    const since = t.twitch.sent.items.length;
    t.chat("!ping");
    await t.waitForMessage("pong", { since });

    t.writeModuleFile("pinger", "actions/ping.ts", source);
    expect((await json("/api/modules/pinger/reload", { method: "POST" })).status).toBe(200);
  });

  it("discovers a new module folder without loading it", async () => {
    cpSync(fixture("pinger"), join(t.modulesDir, "pinger-two"), { recursive: true });
    const { status, body } = await json("/api/modules/discover", { method: "POST" });
    expect(status).toBe(200);
    expect(body.discovered).toEqual(["pinger-two"]);
    expect(body.modules.find((m: { name: string }) => m.name === "pinger-two")).toMatchObject({
      state: "discovered",
      actions: ["load"],
    });
    // Its folder says pinger-two but the module calls itself pinger: loading says so (422).
    const load = await json("/api/modules/pinger-two/load", { method: "POST" });
    expect(load.status).toBe(422);
    expect((await json("/api/modules/pinger-two")).body.state).toBe("failed");
  });

  it("refuses a bad action body: bad JSON, wrong types, unknown fields, another content type", async () => {
    const badJson = await json("/api/modules/pinger/disable", { body: "{cascade:" });
    expect(badJson.status).toBe(400);
    expect(badJson.body.error).toEqual({
      code: "SS_ADMIN_REQUEST_INVALID",
      message: "the request body is not valid JSON",
    });
    const wrongType = await json("/api/modules/pinger/disable", { body: { cascade: "yes" } });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error.message).toContain("cascade");
    const unknown = await json("/api/modules/pinger/disable", { body: { cascade: true, force: 1 } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain("force");
    const text = await json("/api/modules/pinger/disable", {
      body: "cascade",
      headers: { "content-type": "text/plain" },
    });
    expect(text.status).toBe(415);
    expect(text.body.error.code).toBe("SS_ADMIN_REQUEST_INVALID");
    expect((await json("/api/modules/pinger")).body.state).toBe("enabled");
  });
});

describe("stats, simulate and chat", () => {
  it("gives totals, reload figures and the connection states", async () => {
    const { status, body } = await json("/api/stats");
    expect(status).toBe(200);
    expect(body).toMatchObject({ total: 4, loaded: 3, enabled: 3, failed: 1 });
    expect(body.reloads.successful).toBeGreaterThanOrEqual(2);
    expect(body.reloads.failed).toBeGreaterThanOrEqual(1);
    expect(Object.keys(body.connections)).toEqual(["twitch", "obs"]);
    expect(typeof body.connections.twitch.configured).toBe("boolean");
  });

  it("simulates a built-in event, filling in what is not given", async () => {
    const since = t.twitch.sent.items.length;
    const { status, body } = await json("/api/events/simulate", {
      body: { type: "twitch.follow", data: { user: { displayName: "Grace" } } },
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ type: "twitch.follow", source: "admin" });
    await t.waitForMessage("Welcome Grace! Thanks for following!", { since });
    const types = await json("/api/events/types");
    expect(types.body.types.map((x: { type: string }) => x.type)).toContain("twitch.raid");
    expect(types.body.types.some((x: { type: string }) => x.type.startsWith("system."))).toBe(false);
  });

  it("answers 400 naming the bad field, the unknown type, or the bad body", async () => {
    const badField = await json("/api/events/simulate", {
      body: { type: "twitch.raid", data: { viewers: "many" } },
    });
    expect(badField.status).toBe(400);
    expect(badField.body.error.code).toBe("SS_EVENT_INVALID");
    expect(badField.body.error.message).toContain("data.viewers");
    expect(badField.body.error.details.issues[0].path).toEqual(["viewers"]);

    const unknown = await json("/api/events/simulate", { body: { type: "twitch.nope" } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe("SS_EVENT_UNKNOWN_TYPE");
    const system = await json("/api/events/simulate", { body: { type: "system.module.state", data: {} } });
    expect(system.status).toBe(400);
    expect(system.body.error.code).toBe("SS_EVENT_UNKNOWN_TYPE");

    const wrongType = await json("/api/events/simulate", { body: { type: 5 } });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error.code).toBe("SS_ADMIN_REQUEST_INVALID");
    expect(wrongType.body.error.message).toContain("type");
    const notObject = await json("/api/events/simulate", { body: { type: "twitch.raid", data: [1] } });
    expect(notObject.status).toBe(400);
    const empty = await json("/api/events/simulate", { method: "POST" });
    expect(empty.status).toBe(400);
  });

  it("says a chat line as the chosen user and role, and the bot answers", async () => {
    const since = t.twitch.sent.items.length;
    const seen = t.events.items.length;
    const { status } = await json("/api/chat", {
      body: { text: "!ping", user: { login: "alice", level: "moderator" } },
    });
    expect(status).toBe(202);
    await t.waitForMessage("pong", { since });
    const line = t.events.items.slice(seen).find((e) => e.type === "twitch.chat.message");
    expect(line?.data).toMatchObject({ text: "!ping", user: { login: "alice", isModerator: true } });

    const slash = await json("/api/chat", { body: { text: "/quit" } });
    expect(slash.status).toBe(202);
    await t.waitForEvent("twitch.chat.message", (e) => (e.data as { text: string }).text === "/quit");
  });

  it("refuses a bad chat body, and answers 409 without a local chat", async () => {
    for (const body of [
      { text: "" },
      { text: "a\nb" },
      { text: "x".repeat(501) },
      { text: "hi", user: { login: "a b" } },
    ]) {
      const response = await json("/api/chat", { body });
      expect(response.status, JSON.stringify(body)).toBe(400);
    }
    const noChat = createAdminApp({ host: t.host, allowedHosts: ALLOWED });
    const response = await noChat.request("/api/chat", {
      method: "POST",
      headers: { host: HOST, "content-type": "application/json" },
      body: JSON.stringify({ text: "!ping" }),
    });
    expect(response.status).toBe(409);
    expect(((await response.json()) as Json).error.code).toBe("SS_ADMIN_CHAT_UNAVAILABLE");
  });

  it("refuses a body over the limit with 413", async () => {
    const huge = JSON.stringify({ type: "twitch.raid", data: { pad: "x".repeat(200_000) } });
    const response = await json("/api/events/simulate", { body: huge });
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe("SS_ADMIN_BODY_TOO_LARGE");
  });
});

describe("security", () => {
  it("refuses a foreign or missing Host header (DNS rebinding) with 403", async () => {
    for (const host of ["evil.example", "evil.example:8888", "localhost.evil.example", "user@localhost"]) {
      const response = await json("/api/modules", { headers: { host } });
      expect(response.status, host).toBe(403);
      expect(response.body.error.code).toBe("SS_ADMIN_HOST_FORBIDDEN");
    }
    const page = await app.request("/modules", { headers: { host: "evil.example" } });
    expect(page.status).toBe(403);
    expect((await app.request("/api/stats")).status).toBe(403);
    expect((await json("/api/stats", { headers: { host: "127.0.0.1:8888" } })).status).toBe(200);
  });

  it("refuses state changes from another origin (CSRF) with 403, and allows this one", async () => {
    const foreign: Array<Record<string, string>> = [
      { origin: "http://evil.example" },
      { origin: "http://localhost:3000" },
      { origin: "null" },
      { "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "same-site" },
    ];
    for (const headers of foreign) {
      const response = await json("/api/modules/pinger/disable", { method: "POST", headers });
      expect(response.status, JSON.stringify(headers)).toBe(403);
      expect(response.body.error.code).toBe("SS_ADMIN_ORIGIN_FORBIDDEN");
    }
    expect((await json("/api/modules/pinger")).body.state).toBe("enabled");
    const same = await json("/api/modules/greeter/disable", {
      method: "POST",
      headers: { origin: "http://localhost:8888", "sec-fetch-site": "same-origin" },
    });
    expect(same.status).toBe(200);
    expect((await json("/api/modules/greeter/enable", { method: "POST" })).status).toBe(200);
  });

  it("needs the bearer token on every /api route when one is set, and never echoes it", async () => {
    const token = "s3cret-token-value-1234567890";
    const guarded = createAdminApp({ host: t.host, token, allowedHosts: ALLOWED });
    const get = (headers: Record<string, string>) =>
      guarded.request("/api/modules", { headers: { host: HOST, ...headers } });
    const none = await get({});
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toContain("Bearer");
    const wrong = await get({ authorization: "Bearer nope" });
    expect(wrong.status).toBe(401);
    const wrongText = await wrong.text();
    expect(wrongText).toContain("SS_ADMIN_UNAUTHORIZED");
    expect(wrongText).not.toContain(token);
    expect((await get({ authorization: `Bearer ${token}` })).status).toBe(200);
    const post = await guarded.request("/api/modules/pinger/reload", {
      method: "POST",
      headers: { host: HOST },
    });
    expect(post.status).toBe(401);
    // The page itself holds nothing secret; it asks for the token.
    expect((await guarded.request("/modules", { headers: { host: HOST } })).status).toBe(200);
  });
});

describe("OpenAPI, page, stream", () => {
  it("describes every route from the schemas the routes validate with", async () => {
    const { status, body } = await json("/api/openapi.json");
    expect(status).toBe(200);
    expect(Object.keys(body.paths).sort()).toEqual(
      [
        "/api/chat",
        "/api/events/simulate",
        "/api/events/stream",
        "/api/events/types",
        "/api/modules",
        "/api/modules/discover",
        "/api/modules/{name}",
        "/api/modules/{name}/disable",
        "/api/modules/{name}/enable",
        "/api/modules/{name}/load",
        "/api/modules/{name}/reload",
        "/api/modules/{name}/unload",
        "/api/stats",
      ].sort(),
    );
    const reload = body.paths["/api/modules/{name}/reload"].post;
    expect(reload.parameters[0].schema.pattern).toBe("^[a-z][a-z0-9_-]{0,63}$");
    expect(Object.keys(reload.responses).sort()).toEqual(["200", "400", "404", "409", "422"]);
    expect(body.components.schemas.ChatBody.required).toEqual(["text"]);
  });

  it("redirects / to /modules and serves the page and its own assets", async () => {
    const root = await call("/");
    expect(root.status).toBe(302);
    expect(root.headers.get("location")).toBe("/modules");
    const page = await call("/modules");
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain('<option value="twitch.raid">twitch.raid</option>');
    expect(html).toContain('<option value="moderator">moderator</option>');
    expect(html).not.toMatch(/https?:\/\//);
    expect(page.headers.get("content-security-policy")).toContain("default-src 'none'");
    const script = await call("/assets/admin.js");
    expect(script.headers.get("content-type")).toContain("text/javascript");
    expect(await script.text()).toContain("/api/events/stream");
    expect((await call("/assets/constructor")).status).toBe(404);
    const missing = await json("/api/nothing");
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("SS_ADMIN_NOT_FOUND");
  });

  it("serves the alerts overlay at its own path, fed from the bus", async () => {
    const page = await call("/overlay/alerts");
    expect(page.status).toBe(200);
    const stream = await call("/overlay/alerts/stream");
    const reader = stream.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    const readUntil = async (needle: string) => {
      while (!text.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`the overlay stream ended before ${needle}`);
        text += value;
      }
    };
    await readUntil("event: hello");
    t.host.emit(
      "custom.alerts.show",
      { id: "a1", type: "follow", text: "Welcome Ada!", durationMs: 5000 },
      "module:alerts",
    );
    await readUntil("Welcome Ada!");
    expect(text).toContain("event: alert");
    await reader.cancel();
    expect((await app.request("/overlay/alerts", { headers: { host: "evil.example" } })).status).toBe(403);
  });

  it("streams the stats first, then module changes, chat lines, events and type-check results as they happen", async () => {
    const response = await call("/api/events/stream");
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    const nextEvent = async (name: string, test: (data: Json) => boolean = () => true) => {
      for (;;) {
        let end = buffer.indexOf("\n\n");
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event === name && data !== undefined && test(JSON.parse(data))) return JSON.parse(data);
          end = buffer.indexOf("\n\n");
        }
        const { value, done } = await reader.read();
        if (done) throw new Error(`the stream ended before a ${name} event`);
        buffer += value;
      }
    };
    expect(await nextEvent("stats")).toMatchObject({ total: 4 });
    await json("/api/modules/greeter/disable", { method: "POST" });
    expect(await nextEvent("module", (m) => m.name === "greeter")).toMatchObject({ state: "disabled" });
    await json("/api/modules/greeter/enable", { method: "POST" });
    expect(await nextEvent("module", (m) => m.name === "greeter")).toMatchObject({ state: "enabled" });
    await json("/api/chat", { body: { text: "hello there", user: { login: "bo", level: "vip" } } });
    expect(await nextEvent("chat", (c) => c.text === "hello there")).toMatchObject({
      kind: "chat",
      user: "Bo",
    });
    await json("/api/events/simulate", { body: { type: "twitch.raid", data: { viewers: 42 } } });
    expect(await nextEvent("event", (e) => e.type === "twitch.raid")).toMatchObject({
      data: { viewers: 42 },
    });
    const diagnostics = [
      { file: "actions/ping.ts", line: 3, column: 7, code: 2345, message: "Argument of type..." },
    ];
    app.reportTypeCheck({ module: "pinger", diagnostics });
    expect(await nextEvent("module", (m) => m.name === "pinger")).toMatchObject({ typeErrors: diagnostics });
    expect((await json("/api/modules/pinger")).body.typeErrors).toEqual(diagnostics);
    app.reportTypeCheck({ module: "pinger", diagnostics: [] });
    expect(await nextEvent("module", (m) => m.name === "pinger")).toMatchObject({ typeErrors: [] });
    await reader.cancel();
  });
});
