import { createHash, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { sendError } from "../api/error-response.ts";
import { AdminErrorCodes } from "../errors.ts";

const digest = (text: string) => createHash("sha256").update(text).digest();

/**
 * Requires `Authorization: Bearer <token>` on every request it guards. Compared in constant time
 * (on digests, so the length does not leak either); the token is never echoed.
 */
export function tokenGuard(token: string): MiddlewareHandler {
  const expected = digest(token);
  return async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match || !timingSafeEqual(digest(match[1]!), expected)) {
      c.header("WWW-Authenticate", 'Bearer realm="starstreamer-admin"');
      return sendError(
        c,
        AdminErrorCodes.UNAUTHORIZED,
        match
          ? "the admin token is wrong"
          : "this admin server needs its token: Authorization: Bearer <STARSTREAMER_ADMIN_TOKEN>",
      );
    }
    await next();
  };
}
