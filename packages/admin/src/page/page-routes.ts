import { readFileSync } from "node:fs";
import type { OpenAPIHono } from "@hono/zod-openapi";
import { simulatableEventTypes } from "../api/events-routes.ts";
import { renderModulesPage } from "./modules-page.ts";

/** The page's own files, served by the host (no build step, no CDN). */
const ASSETS: Record<string, { type: string; body: string }> = {
  "admin.js": {
    type: "text/javascript; charset=utf-8",
    body: readFileSync(new URL("./assets/admin.js", import.meta.url), "utf8"),
  },
  "admin.css": {
    type: "text/css; charset=utf-8",
    body: readFileSync(new URL("./assets/admin.css", import.meta.url), "utf8"),
  },
};

/** Security headers for the page: nothing from elsewhere, no framing. */
const PAGE_HEADERS = {
  "Content-Security-Policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
};

/** `/` (redirects), `/modules` and `/assets/*`. */
export function registerPageRoutes(app: OpenAPIHono, options: { chat: boolean }): void {
  app.get("/", (c) => c.redirect("/modules", 302));
  app.get("/modules", async (c) => {
    const html = await renderModulesPage({ eventTypes: simulatableEventTypes(), chat: options.chat });
    return c.html(html, 200, { ...PAGE_HEADERS, "Cache-Control": "no-store" });
  });
  app.get("/assets/:file", (c) => {
    const file = c.req.param("file");
    const asset = Object.hasOwn(ASSETS, file) ? ASSETS[file] : undefined;
    if (!asset) return c.notFound();
    return c.body(asset.body, 200, {
      ...PAGE_HEADERS,
      "Content-Type": asset.type,
      "Cache-Control": "no-cache",
    });
  });
}
