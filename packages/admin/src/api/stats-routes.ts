import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { Host } from "@starstreamer/runtime";
import { statsSchema } from "./schemas.ts";
import { statsView } from "./stats-view.ts";

/** `GET /api/stats`: the header figures. */
export function registerStatsRoutes(app: OpenAPIHono, host: Host): void {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/stats",
      summary: "Module counts, reload totals and the Twitch and OBS connection states",
      responses: {
        200: { description: "the figures", content: { "application/json": { schema: statsSchema } } },
      },
    }),
    async (c) => c.json(await statsView(host), 200),
  );
}
