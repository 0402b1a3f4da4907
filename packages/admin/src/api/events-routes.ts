import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Host } from "@starstreamer/runtime";
import { streamSSE } from "hono/streaming";
import { StarStreamerError } from "starstreamer";
import {
  acceptedEventTypes,
  isBuiltInEventType,
  SdkErrorCodes,
  simulatedEventData,
} from "starstreamer/internal";
import type { LiveFeed } from "../live/live-feed.ts";
import { errorSchema, eventSchema, eventTypesSchema, simulateBodySchema } from "./schemas.ts";
import { statsView } from "./stats-view.ts";

/** Built-in types a user may simulate: the host's own `system.*` events are not for simulating. */
export function simulatableEventTypes(): string[] {
  return acceptedEventTypes().filter((type) => isBuiltInEventType(type) && !type.startsWith("system."));
}

/** Sent as an SSE comment this often, so proxies and dead clients are noticed. */
const KEEPALIVE_MS = 15_000;

/** Simulate an event, list the simulatable types, and the live stream. */
export function registerEventRoutes(app: OpenAPIHono, host: Host, feed: LiveFeed): void {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/events/types",
      summary: "The built-in event types that can be simulated, each with example data",
      responses: {
        200: { description: "the types", content: { "application/json": { schema: eventTypesSchema } } },
      },
    }),
    (c) =>
      c.json(
        { types: simulatableEventTypes().map((type) => ({ type, example: simulatedEventData(type) })) },
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/events/simulate",
      summary:
        "Publish a built-in event as if a platform sent it. Fields not given are filled with simulated defaults; the result is validated with the type's schema.",
      request: { body: { content: { "application/json": { schema: simulateBodySchema } }, required: true } },
      responses: {
        200: { description: "the event published", content: { "application/json": { schema: eventSchema } } },
        400: {
          description: "unknown type, or bad data (the message names the bad field: data.viewers: ...)",
          content: { "application/json": { schema: errorSchema } },
        },
      },
    }),
    (c) => {
      const { type, data } = c.req.valid("json");
      if (!simulatableEventTypes().includes(type)) {
        throw new StarStreamerError(
          SdkErrorCodes.EVENT_UNKNOWN_TYPE,
          `cannot simulate ${JSON.stringify(type)}; accepted: ${simulatableEventTypes().join(", ")}`,
        );
      }
      // Both throw SS_EVENT_INVALID naming the field; onError answers 400 with it.
      const event = host.emit(type, simulatedEventData(type, data), "admin");
      return c.json(
        {
          id: event.id,
          type: event.type,
          source: event.source,
          timestamp: event.timestamp,
          data: event.data,
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/events/stream",
      summary:
        "Server-sent events: module (a module's new view), stats, chat (lines and bot replies), event (alerts and other events), log (warnings and errors), dropped (a slow client missed some)",
      responses: {
        200: { description: "the stream", content: { "text/event-stream": { schema: z.string() } } },
      },
    }),
    (c) => {
      // A stream is never followed by another request on its connection: closing it with the
      // stream lets a shutdown finish at once.
      const response = streamSSE(c, async (stream) => {
        const subscription = feed.subscribe();
        stream.onAbort(() => subscription.close());
        const keepalive = setInterval(
          () => void stream.write(": keepalive\n\n").catch(() => {}),
          KEEPALIVE_MS,
        );
        try {
          // The current header figures first, so a reconnecting page is up to date at once.
          await stream.writeSSE({ event: "stats", data: JSON.stringify(await statsView(host)) });
          for (;;) {
            const message = await subscription.next();
            if (message === null || stream.aborted || stream.closed) break;
            await stream.writeSSE({ event: message.event, data: JSON.stringify(message.data) });
          }
        } finally {
          clearInterval(keepalive);
          subscription.close();
        }
      });
      response.headers.set("Connection", "close");
      return response;
    },
  );
}
