import type { MiddlewareHandler } from "hono";
import { sendError } from "../api/error-response.ts";
import { AdminErrorCodes } from "../errors.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Refuses state-changing requests sent by another site (CSRF): when the browser says where a
 * request comes from (`Origin`, `Sec-Fetch-Site`), it must be this very origin, the same host and
 * port as the `Host` header. Requests without either header (the CLI, curl) pass; the host guard
 * and the token still apply to them.
 */
export function originGuard(): MiddlewareHandler {
  return async (c, next) => {
    if (!SAFE_METHODS.has(c.req.method)) {
      const origin = c.req.header("origin");
      const site = c.req.header("sec-fetch-site");
      const host = c.req.header("host") ?? "";
      let sameOrigin = true;
      if (origin !== undefined) {
        try {
          const url = new URL(origin);
          sameOrigin =
            (url.protocol === "http:" || url.protocol === "https:") && url.host === host.toLowerCase();
        } catch {
          sameOrigin = false; // "null" (sandboxed frames, file:) or garbage
        }
      }
      if (site !== undefined && site !== "same-origin" && site !== "none") sameOrigin = false;
      if (!sameOrigin) {
        return sendError(
          c,
          AdminErrorCodes.ORIGIN_FORBIDDEN,
          `refused: a ${c.req.method} from ${origin ?? `a ${site} page`} (only this page may change things)`,
        );
      }
    }
    await next();
  };
}
