import type { MiddlewareHandler } from "hono";
import { sendError } from "../api/error-response.ts";
import { AdminErrorCodes } from "../errors.ts";
import { hostnameOf } from "./loopback.ts";

/**
 * Refuses a request whose `Host` header names a host the server does not answer to: a web page
 * on another site that points its own domain at 127.0.0.1 (DNS rebinding) arrives with that
 * domain as its Host. `allowedHosts` are host names without ports; `*` allows any.
 */
export function hostGuard(allowedHosts: readonly string[]): MiddlewareHandler {
  const allowed = new Set(allowedHosts.map((h) => hostnameOf(h) ?? h.toLowerCase()));
  const any = allowed.has("*");
  return async (c, next) => {
    const header = c.req.header("host");
    const name = header ? hostnameOf(header) : null;
    if (!any && (name === null || !allowed.has(name))) {
      return sendError(
        c,
        AdminErrorCodes.HOST_FORBIDDEN,
        `refused: Host ${JSON.stringify(header ?? "")} is not an address of this server (allowed: ${[...allowed].join(", ")})`,
      );
    }
    await next();
  };
}
