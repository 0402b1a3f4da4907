import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startAdminServer } from "@starstreamer/admin";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../browser.ts";
import { type AdminHost, startAdminHost } from "./admin-host.ts";
import { repoRoot } from "./paths.ts";

// The /modules page in a real headless Chromium (Debian's, never a downloaded one), against a real
// host with real module workers and the local chat, served by startAdminServer.

const ARTIFACTS = join(repoRoot, "test", "admin", "artifacts");
const TIMEOUT = 15_000;

let fixture: AdminHost;
let browser: Browser;
let page: Page;
const requests: string[] = [];
const pageErrors: string[] = [];

/** Waits for a value on the page (the default of expect.poll, 1 s, is too short on a busy machine). */
const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: TIMEOUT, interval: 50 });
const card = (name: string) => page.locator(`[data-module="${name}"]`);
const badge = (name: string) => card(name).locator('[data-role="state"]');

beforeAll(async () => {
  fixture = await startAdminHost();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(TIMEOUT);
  page.on("request", (request) => requests.push(request.url()));
  page.on("pageerror", (error) => pageErrors.push(error.message));
  page.on("console", (message) => {
    // Chromium logs every 4xx answer as an error; the page shows those itself.
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) {
      pageErrors.push(message.text());
    }
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await fixture?.close();
});

describe("the admin page in Chromium", () => {
  it("redirects / to /modules and shows every module with its state and the header figures", async () => {
    await page.goto(`${fixture.admin.url}/`);
    expect(new URL(page.url()).pathname).toBe("/modules");
    await poll(() => page.locator("#live").textContent()).toBe("live");
    await poll(() =>
      page.locator("[data-module]").evaluateAll((nodes) => nodes.map((n) => n.getAttribute("data-module"))),
    ).toEqual(["greeter", "pinger", "pinger-fan"]);
    for (const name of ["greeter", "pinger", "pinger-fan"])
      expect(await badge(name).textContent()).toBe("enabled");
    expect(await card("pinger").textContent()).toContain("Answers !ping with pong");
    expect(await page.locator("#stat-total").textContent()).toBe("3");
    expect(await page.locator("#stat-enabled").textContent()).toBe("3");
    expect(await page.locator("#stat-twitch").textContent()).not.toBe("…");
  });

  it("disables a module from the keyboard and shows the new state", async () => {
    await card("greeter").locator('[data-action="disable"]').focus();
    await page.keyboard.press("Enter");
    await poll(() => badge("greeter").textContent()).toBe("disabled");
    expect(await card("greeter").locator("[data-action]").allTextContents()).toEqual([
      "Enable",
      "Reload",
      "Unload",
    ]);
    await poll(() => page.locator("#stat-enabled").textContent()).toBe("2");
    // Focus stays on the redrawn card, so the keyboard user can go on.
    const focused = 'document.activeElement?.closest("[data-module]")?.getAttribute("data-module") ?? null';
    expect(await page.evaluate<string | null>(focused)).toBe("greeter");
    await card("greeter").locator('[data-action="enable"]').click();
    await poll(() => badge("greeter").textContent()).toBe("enabled");
  });

  it("reloads a module and shows the duration", async () => {
    expect(await card("pinger").locator('[data-role="last-reload"]').textContent()).toBe("never");
    await card("pinger").locator('[data-action="reload"]').click();
    await poll(() => page.locator("#notice").textContent()).toMatch(/^Reloaded pinger 1\.0\.0 in [\d.]+ ms$/);
    expect(await card("pinger").locator('[data-role="last-reload"]').textContent()).toMatch(
      /^ok in [\d.]+ ms/,
    );
  });

  it("sends !ping in the chat panel as a chosen user and shows the bot's pong", async () => {
    await page.fill("#chat-form [name=login]", "alice");
    await page.selectOption("#chat-form [name=level]", "moderator");
    await page.fill("#chat-form [name=text]", "!ping");
    await page.press("#chat-form [name=text]", "Enter");
    await poll(() => page.locator("#chat-log li").allTextContents()).toEqual(["Alice !ping", "bot pong"]);
  });

  it("shows changes made elsewhere (the terminal, the watcher, the type checker) without a refresh", async () => {
    await fixture.host.registry.disable("pinger-fan");
    await poll(() => badge("pinger-fan").textContent()).toBe("disabled");
    await fixture.host.registry.enable("pinger-fan");
    await poll(() => badge("pinger-fan").textContent()).toBe("enabled");
    // The dev command's background type-check reports here.
    const diagnostic = { file: "modules/greeter/actions/greetings.ts", line: 4, column: 9, code: 2322 };
    fixture.admin.reportTypeCheck({
      module: "greeter",
      diagnostics: [{ ...diagnostic, message: "Type 'number' is not assignable to type 'string'." }],
    });
    await poll(() => card("greeter").locator('[data-role="type-errors"] li').allTextContents()).toEqual([
      "modules/greeter/actions/greetings.ts:4:9 TS2322 Type 'number' is not assignable to type 'string'.",
    ]);
    fixture.admin.reportTypeCheck({ module: "greeter", diagnostics: [] });
    await poll(() => card("greeter").locator('[data-role="type-errors"]').count()).toBe(0);
  });

  it("simulates an event from the form", async () => {
    const handled = card("greeter").locator('[data-role="events-handled"]');
    expect(await handled.textContent()).toBe("0");
    await page.selectOption("#simulate-form [name=type]", "twitch.follow");
    await page.fill("#simulate-form [name=data]", '{"user": {"displayName": "Grace"}}');
    await page.click("#simulate-form button");
    await poll(() => page.locator("#simulate-result").textContent()).toBe("Simulated twitch.follow");
    await poll(() => page.locator("#chat-log li").last().textContent()).toBe(
      "bot Welcome Grace! Thanks for following!",
    );
    // Figures that change without a state change (events handled) follow without a refresh too.
    await poll(() => handled.textContent()).toBe("1");
    await page.fill("#simulate-form [name=data]", '{"viewers": "many"}');
    await page.selectOption("#simulate-form [name=type]", "twitch.raid");
    await page.click("#simulate-form button");
    await poll(() => page.locator("#simulate-result").textContent()).toContain("data.viewers");
  });

  it("shows a module's build error with file and line, while it keeps serving", async () => {
    const file = join(fixture.modulesDir, "pinger", "actions", "ping.ts");
    const source = readFileSync(file, "utf8");
    writeFileSync(file, `${source}\nconst broken = ;\n`);
    await card("pinger").locator('[data-action="reload"]').click();
    await poll(() => page.locator("#notice").textContent()).toMatch(
      /^Reload pinger failed: .*ping\.ts:\d+:\d+/,
    );
    await poll(() => card("pinger").locator(".problems").textContent()).toMatch(
      /Last reload failed.*ping\.ts:\d+:\d+/,
    );
    expect(await card("pinger").locator(".problems").getAttribute("open")).not.toBeNull();
    expect(await badge("pinger").textContent()).toBe("enabled");
    expect(await card("pinger").locator('[data-role="last-reload"]').textContent()).toMatch(/^failed in/);

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, "admin-page.png"), fullPage: true });
    writeFileSync(file, source);
  });

  it("fits a phone screen, and asked nothing from outside", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await poll(() => page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(ARTIFACTS, "admin-page-phone.png"), fullPage: true });
    const outside = requests.filter((url) => !url.startsWith(fixture.admin.url));
    expect(outside).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it("asks once for the token when the server needs one, then works", async () => {
    const token = "browser-test-token-0123456789";
    const guarded = await startAdminServer({
      host: fixture.host,
      chat: fixture.chat,
      port: 0,
      token,
      logger: { info() {} },
    });
    const tab = await browser.newPage();
    tab.setDefaultTimeout(TIMEOUT);
    try {
      await tab.goto(`${guarded.url}/modules`);
      await poll(() => tab.locator("#token-form").isVisible()).toBe(true);
      await tab.fill("#token-form [name=token]", token);
      await tab.press("#token-form [name=token]", "Enter");
      await poll(() => tab.locator("#live").textContent()).toBe("live");
      expect(await tab.locator("#token-form").isVisible()).toBe(false);
      await poll(() => tab.locator("[data-module]").count()).toBe(3);
    } finally {
      await tab.close();
      await guarded.close();
    }
  });
});
