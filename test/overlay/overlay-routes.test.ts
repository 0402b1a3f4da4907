import { waitUntil } from "@starstreamer/testing";
// The admin package exports the overlay once its index re-exports it; until then, by path.

import type { StarEvent } from "starstreamer";
import { describe, expect, it } from "vitest";
import { createOverlayRoutes } from "../../packages/admin/src/overlay/index.ts";

// The overlay routes in-process (Hono's app.request): the page's headers and content, and the
// alert stream's filtering, framing and clean-up.

function fakeBus() {
  const listeners = new Set<(event: StarEvent) => void>();
  let seq = 0;
  return {
    listeners,
    deps: {
      onEvent(listener: (event: StarEvent) => void) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
    emit(type: string, data: unknown) {
      const event = { id: `e${++seq}`, type, source: "test", timestamp: Date.now(), data } as StarEvent;
      for (const listener of listeners) listener(event);
    },
  };
}

/** Reads SSE frames from a response body, one `{ event, data, id }` per call. */
function frames(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  return {
    reader,
    async next(): Promise<{ event?: string; data?: string; id?: string; retry?: string }> {
      for (;;) {
        const end = buffer.indexOf("\n\n");
        if (end >= 0) {
          const raw = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const frame: Record<string, string> = {};
          for (const line of raw.split("\n")) {
            if (line.startsWith(":")) continue;
            const colon = line.indexOf(":");
            frame[line.slice(0, colon)] = line.slice(colon + 1).trimStart();
          }
          if (Object.keys(frame).length > 0) return frame;
          continue;
        }
        const { value, done } = await reader.read();
        if (done) throw new Error("stream ended");
        buffer += decoder.decode(value, { stream: true });
      }
    },
  };
}

const until = (check: () => boolean, what: string, timeoutMs = 5000) => waitUntil(check, what, timeoutMs);

describe("overlay routes", () => {
  it("serves a transparent, self-contained page that may load nothing from elsewhere", async () => {
    const app = createOverlayRoutes(fakeBus().deps);
    const response = await app.request("/overlay/alerts");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'self'");
    const html = await response.text();
    expect(html).toContain("background: transparent");
    expect(html).not.toMatch(/\s(src|href)=/);
    expect(html).not.toMatch(/https?:\/\//);
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(html).toContain(`<script nonce="${nonce}">`);
    expect(html).toContain(`<style nonce="${nonce}">`);
  });

  it("streams custom.alerts.show as alert frames and skips other events and malformed alerts", async () => {
    const bus = fakeBus();
    const app = createOverlayRoutes(bus.deps);
    const response = await app.request("/overlay/alerts/stream");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const stream = frames(response.body!);
    expect(await stream.next()).toMatchObject({ event: "hello", retry: "2000" });
    expect(bus.listeners.size).toBe(1);

    bus.emit("custom.other.show", { id: "x", type: "raid", text: "not ours", durationMs: 10 });
    bus.emit("custom.alerts.show", { id: "bad", type: "raid", text: "", durationMs: -1 });
    bus.emit("custom.alerts.show", { id: "html", type: "<b>", text: "bad type", durationMs: 10 });
    const raid = { id: "a1", type: "raid", text: "Ada is raiding with 42 viewers!", durationMs: 3000 };
    bus.emit("custom.alerts.show", raid); // sentinel: the first frame must be this one
    const frame = await stream.next();
    expect(frame).toMatchObject({ event: "alert", id: "a1" });
    expect(JSON.parse(frame.data ?? "")).toEqual(raid);

    await stream.reader.cancel();
    await until(() => bus.listeners.size === 0, "the stream to unsubscribe");
  });

  it("keeps alerts that arrive while a frame is being written, in order", async () => {
    const bus = fakeBus();
    const app = createOverlayRoutes(bus.deps);
    const stream = frames((await app.request("/overlay/alerts/stream")).body!);
    await stream.next();
    for (let i = 1; i <= 5; i++)
      bus.emit("custom.alerts.show", { id: `a${i}`, type: "follow", text: `F${i}`, durationMs: 1 });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await stream.next()).id ?? "");
    expect(ids).toEqual(["a1", "a2", "a3", "a4", "a5"]);
    await stream.reader.cancel();
  });
});
