import { randomBytes } from "node:crypto";
import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import type { StarEvent } from "starstreamer";
import { z } from "zod";
import { overlayPage } from "./overlay-page.ts";

/** The event the alerts module emits for each alert it plays; the overlay forwards these. */
export const ALERT_SHOW_EVENT = "custom.alerts.show";

/**
 * What an alert on the overlay needs: the `data` of `custom.alerts.show`. Module events are only
 * checked to be JSON by the bus, so the overlay checks the shape itself and skips anything else.
 */
export const overlayAlertSchema = z.object({
  id: z.string().min(1).max(100),
  type: z
    .string()
    .max(50)
    .regex(/^[A-Za-z0-9_-]+$/),
  text: z.string().min(1).max(500),
  durationMs: z.int().min(0).max(600_000),
});
/** One alert as the overlay receives it. */
export type OverlayAlert = z.infer<typeof overlayAlertSchema>;

/** What the overlay routes need from the host. */
export interface OverlayRoutesDeps {
  /** Subscribes to every event on the host's bus; returns the unsubscribe function. */
  onEvent(listener: (event: StarEvent) => void): () => void;
}

/** SSE comment this often, so a dead Browser Source connection is noticed and proxies keep it open. */
const KEEPALIVE_MS = 15_000;
/** How far one overlay may fall behind before its oldest alerts are dropped. */
const MAX_PENDING = 100;
/** What the browser waits before reconnecting a dropped stream (the SSE `retry` field), in ms. */
const RETRY_MS = 2000;

/**
 * The alerts overlay for OBS: `GET /overlay/alerts` (the page) and `GET /overlay/alerts/stream`
 * (server-sent events: `hello` on connect, then one `alert` per `custom.alerts.show`).
 * @example
 * app.route("/", createOverlayRoutes({ onEvent: (listener) => host.bus.on("custom.alerts.*", listener) }));
 */
export function createOverlayRoutes(deps: OverlayRoutesDeps): Hono {
  const app = new Hono();

  app.get("/overlay/alerts", (c) => {
    const nonce = randomBytes(16).toString("base64");
    c.header(
      "Content-Security-Policy",
      `default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; connect-src 'self'; base-uri 'none'; form-action 'none'`,
    );
    c.header("Cache-Control", "no-store");
    c.header("X-Content-Type-Options", "nosniff");
    c.header("Referrer-Policy", "no-referrer");
    return c.html(overlayPage(nonce));
  });

  app.get("/overlay/alerts/stream", (c) => {
    const response = streamSSE(c, async (stream) => {
      const pending: OverlayAlert[] = [];
      let wake: (() => void) | undefined;
      const unsubscribe = deps.onEvent((event) => {
        if (event.type !== ALERT_SHOW_EVENT) return;
        const parsed = overlayAlertSchema.safeParse(event.data);
        if (!parsed.success) return;
        if (pending.length >= MAX_PENDING) pending.shift();
        pending.push(parsed.data);
        wake?.();
      });
      stream.onAbort(() => wake?.());
      const keepalive = setInterval(() => void stream.write(": keepalive\n\n").catch(() => {}), KEEPALIVE_MS);
      try {
        await stream.writeSSE({ event: "hello", data: "{}", retry: RETRY_MS });
        while (!stream.aborted && !stream.closed) {
          const alert = pending.shift();
          if (alert) {
            await stream.writeSSE({ event: "alert", id: alert.id, data: JSON.stringify(alert) });
            continue;
          }
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = undefined;
        }
      } finally {
        clearInterval(keepalive);
        unsubscribe();
      }
    });
    // Nothing follows a stream on its connection; closing both together lets a shutdown finish at once.
    response.headers.set("Connection", "close");
    response.headers.set("Cache-Control", "no-store");
    return response;
  });

  return app;
}
