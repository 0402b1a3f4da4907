/**
 * The StarStreamer admin server: the /modules page, the REST API under /api (with its OpenAPI
 * description) and live updates over server-sent events, built with Hono.
 *
 * @packageDocumentation
 */
export {
  actionResultSchema,
  type ErrorBody,
  MODULE_ACTIONS,
  type ModuleAction,
  type ModuleView,
  moduleListSchema,
  moduleViewSchema,
  type StatsView,
  statsSchema,
} from "./api/schemas.ts";
export { type AdminApp, type AdminAppDeps, createAdminApp, MAX_BODY_BYTES } from "./app.ts";
export type { AdminChat, AdminChatOutput } from "./chat.ts";
export { AdminErrorCodes } from "./errors.ts";
export type { TypeCheckReport } from "./live/type-errors.ts";
export { type AdminServer, type AdminServerOptions, startAdminServer } from "./server.ts";
