import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { serve } from "@hono/node-server";
import { createTestHost, type TestHost } from "@starstreamer/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// The admin package exports the overlay once its index re-exports it; until then, by path.
import { createOverlayRoutes } from "../../packages/admin/src/overlay/index.ts";
import { launchChromium } from "../browser.ts";

// The alerts overlay in a real headless Chromium (Debian's), fed by a real host running the alerts
// module in a worker: a simulated raid goes plugin -> bus -> alerts worker -> custom.alerts.show ->
// overlay stream -> page.

const alertsModule = fileURLToPath(new URL("../../modules/alerts", import.meta.url));
const TIMEOUT = 15_000;

let t: TestHost;
let browser: Browser;
let page: Page;
let server: Server;
let port = 0;
const requests: string[] = [];
const pageErrors: string[] = [];

function listen(): Promise<Server> {
  const app = createOverlayRoutes({ onEvent: (listener) => t.host.bus.on("*", listener) });
  return new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: "127.0.0.1", port }, () => resolve(s as Server)) as Server;
  });
}

async function stop(s: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => s.close(() => resolve()));
  s.closeAllConnections();
  await closed;
}

const state = () => page.locator("body").getAttribute("data-state");

beforeAll(async () => {
  t = await createTestHost({
    modules: [alertsModule],
    settings: { alerts: { config: { gapMs: 10, durationMs: 1500 } } },
  });
  server = await listen();
  port = (server.address() as AddressInfo).port;
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  page.setDefaultTimeout(TIMEOUT);
  page.on("request", (request) => requests.push(request.url()));
  page.on("pageerror", (error) => pageErrors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") pageErrors.push(message.text());
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (server?.listening) await stop(server);
  await t?.close();
});

describe("the alerts overlay in Chromium", () => {
  it("shows a simulated raid with its text, then takes it away", async () => {
    await page.goto(`http://127.0.0.1:${port}/overlay/alerts`);
    await expect.poll(state, { timeout: TIMEOUT }).toBe("live");
    const background = await page.evaluate("getComputedStyle(document.body).backgroundColor");
    expect(background).toBe("rgba(0, 0, 0, 0)");

    t.emit("twitch.raid", { from: { id: "7", login: "ada", displayName: "Ada" }, viewers: 42 });
    const alert = page.locator(".alert");
    await alert.waitFor({ state: "visible" });
    expect(await alert.textContent()).toBe("Ada is raiding with 42 viewers!");
    expect(await alert.getAttribute("data-type")).toBe("raid");
    await alert.waitFor({ state: "detached" });

    const origin = `http://127.0.0.1:${port}`;
    expect(requests.every((url) => url.startsWith(`${origin}/`))).toBe(true);
    expect(pageErrors).toEqual([]);
  });

  it("reconnects by itself after the bot restarts and shows the next alert", async () => {
    await stop(server);
    await expect.poll(state, { timeout: TIMEOUT }).toBe("connecting");
    server = await listen();
    await expect.poll(state, { timeout: TIMEOUT }).toBe("live");

    t.emit("twitch.follow", { user: { id: "8", login: "grace", displayName: "Grace" } });
    const alert = page.locator(".alert");
    await alert.waitFor({ state: "visible" });
    expect(await alert.textContent()).toBe("Welcome Grace! Thanks for following!");
    await alert.waitFor({ state: "detached" });
  });
});
