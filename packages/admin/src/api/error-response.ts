import { RuntimeErrorCodes } from "@starstreamer/runtime";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { StarStreamerError } from "starstreamer";
import { SdkErrorCodes } from "starstreamer/internal";
import { AdminErrorCodes } from "../errors.ts";
import type { ErrorBody } from "./schemas.ts";

/** The HTTP status of each error code the admin API passes on; anything else from a module is 422. */
const STATUS: Record<string, ContentfulStatusCode> = {
  [RuntimeErrorCodes.MODULE_NOT_FOUND]: 404,
  [AdminErrorCodes.NOT_FOUND]: 404,
  // The action does not fit the module's state, or other modules stand in the way.
  [RuntimeErrorCodes.MODULE_STATE]: 409,
  [RuntimeErrorCodes.DEPENDENTS_ACTIVE]: 409,
  [RuntimeErrorCodes.DEPENDENCY_MISSING]: 409,
  [RuntimeErrorCodes.DEPENDENCY_CYCLE]: 409,
  [RuntimeErrorCodes.SERVICE_MISSING]: 409,
  [RuntimeErrorCodes.SERVICE_DUPLICATE]: 409,
  [RuntimeErrorCodes.MODULE_DUPLICATE]: 409,
  [AdminErrorCodes.CHAT_UNAVAILABLE]: 409,
  [SdkErrorCodes.EVENT_INVALID]: 400,
  [SdkErrorCodes.EVENT_UNKNOWN_TYPE]: 400,
  [AdminErrorCodes.REQUEST_INVALID]: 400,
  [AdminErrorCodes.NAME_INVALID]: 400,
  [AdminErrorCodes.UNAUTHORIZED]: 401,
  [AdminErrorCodes.HOST_FORBIDDEN]: 403,
  [AdminErrorCodes.ORIGIN_FORBIDDEN]: 403,
  [AdminErrorCodes.BODY_TOO_LARGE]: 413,
  [AdminErrorCodes.INTERNAL]: 500,
};

/** The status for an error code: a module's own failure (build, initialize, worker) is 422. */
export function statusOf(code: string): ContentfulStatusCode {
  return STATUS[code] ?? 422;
}

/** Structured data worth showing (dependents, build errors); never a stack or a cause. */
function detailsOf(error: StarStreamerError): Record<string, unknown> | undefined {
  const { data } = error;
  const details: Record<string, unknown> = {};
  for (const key of ["dependents", "errors", "issues", "module", "type"]) {
    if (data[key] !== undefined) details[key] = data[key];
  }
  return Object.keys(details).length > 0 ? details : undefined;
}

/** The JSON body for an error. Messages never carry a stack: only the first line is kept. */
export function errorBody(code: string, message: string, details?: Record<string, unknown>): ErrorBody {
  const firstLine = message.split("\n    at ")[0] ?? message;
  return { error: { code, message: firstLine, ...(details ? { details } : {}) } };
}

/** Answers with the error's JSON body and status. */
export function sendError(c: Context, code: string, message: string, details?: Record<string, unknown>) {
  return c.json(errorBody(code, message, details), statusOf(code));
}

/**
 * Answers with a StarStreamerError (or an error carrying a `code`, as errors from workers do) as
 * JSON with its status. Anything else is an internal error: logged by the caller, answered
 * without its message.
 */
export function sendStarStreamerError(c: Context, error: unknown) {
  const e = error as { code?: unknown; message?: unknown };
  if (error instanceof StarStreamerError) return sendError(c, error.code, error.message, detailsOf(error));
  if (error instanceof Error && typeof e.code === "string" && e.code.startsWith("SS_")) {
    return sendError(c, e.code, error.message);
  }
  return null;
}
