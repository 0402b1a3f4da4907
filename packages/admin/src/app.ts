import { OpenAPIHono } from "@hono/zod-openapi";
import type { Host } from "@starstreamer/runtime";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { registerChatRoutes } from "./api/chat-routes.ts";
import { sendError, sendStarStreamerError } from "./api/error-response.ts";
import { registerEventRoutes } from "./api/events-routes.ts";
import { createModuleViews } from "./api/module-view.ts";
import { registerModuleRoutes } from "./api/modules-routes.ts";
import { registerStatsRoutes } from "./api/stats-routes.ts";
import type { AdminChat } from "./chat.ts";
import { AdminErrorCodes } from "./errors.ts";
import { LiveFeed } from "./live/live-feed.ts";
import { type TypeCheckReport, TypeErrors } from "./live/type-errors.ts";
import { createOverlayRoutes } from "./overlay/index.ts";
import { registerPageRoutes } from "./page/page-routes.ts";
import { hostGuard } from "./security/host-guard.ts";
import { originGuard } from "./security/origin-guard.ts";
import { tokenGuard } from "./security/token-guard.ts";

/** Largest request body the API reads, in bytes (the biggest real one, a simulated event, is ~2 KB). */
export const MAX_BODY_BYTES = 64 * 1024;

/** What the admin app drives. */
export interface AdminAppDeps {
  host: Host;
  /** The offline chat (the CLI's local chat), for the chat panel and `POST /api/chat`. */
  chat?: AdminChat;
  /** When set, every `/api` request needs `Authorization: Bearer <token>`. */
  token?: string;
  /** Host names the server answers to (`Host` header, without port); `*` for any. */
  allowedHosts: string[];
}

/** The admin Hono app, with `feed` to end live streams on shutdown. */
export type AdminApp = OpenAPIHono & {
  readonly feed: LiveFeed;
  /** Shows a module's background type-check result on the page (the dev type checker calls this). */
  reportTypeCheck(report: TypeCheckReport): void;
};

/**
 * Builds the admin app: the /modules page, the REST API under /api, its OpenAPI description at
 * /api/openapi.json, and live updates over server-sent events. Serve it with
 * {@link startAdminServer}, or call `app.request()` in tests.
 * @example
 * const app = createAdminApp({ host, chat, allowedHosts: ["localhost", "127.0.0.1"] });
 * const res = await app.request("/api/modules", { headers: { host: "localhost" } });
 */
export function createAdminApp(deps: AdminAppDeps): AdminApp {
  const { host, chat, token } = deps;
  const app = new OpenAPIHono({
    defaultHook: (result, c) => {
      if (result.success) return;
      const issues = result.error.issues.map((issue) => ({
        path: issue.path.map((key) => (typeof key === "symbol" ? String(key) : key)),
        message: issue.message,
      }));
      if (result.target === "param") {
        return sendError(
          c,
          AdminErrorCodes.NAME_INVALID,
          `${JSON.stringify(c.req.param("name") ?? "")} is not a module name: expected a-z 0-9 _ -, starting with a letter, at most 64`,
        );
      }
      const text = issues.map((i) => `${i.path.length ? i.path.join(".") : "body"}: ${i.message}`).join("; ");
      return sendError(c, AdminErrorCodes.REQUEST_INVALID, `bad request body: ${text}`, { issues });
    },
  });
  const typeErrors = new TypeErrors();
  const views = createModuleViews(host, typeErrors);
  const feed = new LiveFeed(host, views, chat);

  app.use("*", hostGuard(deps.allowedHosts));
  app.use("*", originGuard());
  app.use(
    "/api/*",
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) =>
        sendError(c, AdminErrorCodes.BODY_TOO_LARGE, `request body over ${MAX_BODY_BYTES / 1024} KB`),
    }),
  );
  if (token) app.use("/api/*", tokenGuard(token));

  registerModuleRoutes(app, host, views);
  registerStatsRoutes(app, host);
  registerEventRoutes(app, host, feed);
  registerChatRoutes(app, chat);
  app.doc31("/api/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "StarStreamer admin API",
      version: "1",
      description:
        "What the /modules page uses: list and drive modules, stats, simulate events, the offline chat, live updates.",
    },
    ...(token ? { security: [{ bearer: [] }] } : {}),
  });
  if (token) {
    app.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer" });
  }
  registerPageRoutes(app, { chat: chat !== undefined });
  // The alerts overlay for OBS (/overlay/alerts): read-only, so outside the token's reach like the page.
  app.route("/", createOverlayRoutes({ onEvent: (listener) => host.bus.on("custom.*", listener) }));

  app.notFound((c) =>
    sendError(c, AdminErrorCodes.NOT_FOUND, `no such page or route: ${c.req.method} ${c.req.path}`),
  );
  app.onError((error, c) => {
    const known = sendStarStreamerError(c, error);
    if (known) return known;
    if (error instanceof HTTPException) {
      const message = /JSON/i.test(error.message) ? "the request body is not valid JSON" : error.message;
      return c.json({ error: { code: AdminErrorCodes.REQUEST_INVALID, message } }, error.status);
    }
    host.logger.error(
      `admin ${c.req.method} ${c.req.path} failed: ${(error as Error).stack ?? String(error)}`,
    );
    return sendError(c, AdminErrorCodes.INTERNAL, "internal error; the bot's log has the details");
  });
  return Object.assign(app, {
    feed,
    reportTypeCheck(report: TypeCheckReport) {
      typeErrors.set(report);
      feed.moduleChanged(report.module);
    },
  });
}
