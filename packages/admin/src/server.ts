import type { AddressInfo } from "node:net";
import { hostname, networkInterfaces } from "node:os";
import { serve } from "@hono/node-server";
import type { Host } from "@starstreamer/runtime";
import { StarStreamerError } from "starstreamer";
import { createAdminApp } from "./app.ts";
import type { AdminChat } from "./chat.ts";
import { AdminErrorCodes } from "./errors.ts";
import type { TypeCheckReport } from "./live/type-errors.ts";
import { isLoopback } from "./security/loopback.ts";

/** How to serve the admin page. */
export interface AdminServerOptions {
  host: Host;
  chat?: AdminChat;
  /** The address to listen on (default 127.0.0.1). Anything beyond loopback needs `token`. */
  bindHost?: string;
  /** Default 8888; 0 picks a free port (tests). */
  port?: number;
  /** `STARSTREAMER_ADMIN_TOKEN`: required for every /api request when set. */
  token?: string;
  /** More host names the page may be opened by (a LAN name), beyond the bound address and this machine's. */
  allowedHosts?: string[];
  /** Where to say what happened (defaults to the host's logger). */
  logger?: { info(message: string): void };
}

/** A running admin server. */
export interface AdminServer {
  /** `http://127.0.0.1:8888`: the address to open (a wildcard bind shows as 127.0.0.1). */
  readonly url: string;
  readonly port: number;
  /**
   * Shows a module's background type-check result on the page.
   * @example typeChecker report: ({ module, diagnostics }) => admin.reportTypeCheck({ module, diagnostics })
   */
  reportTypeCheck(report: TypeCheckReport): void;
  /** Ends live streams and stops listening. */
  close(): Promise<void>;
}

/** How long close() lets open responses finish before it cuts their connections. */
const CLOSE_GRACE_MS = 2000;

const WILDCARDS = new Set(["0.0.0.0", "::", "[::]"]);

/** The host names a request may carry for a server bound to `bindHost`. */
function allowedHostsFor(bindHost: string, extra: string[]): string[] {
  const names = new Set(["localhost", "127.0.0.1", "[::1]", ...extra]);
  if (WILDCARDS.has(bindHost)) {
    // Every address of this machine, and its name (what a phone on the LAN would type).
    for (const list of Object.values(networkInterfaces())) {
      for (const address of list ?? [])
        names.add(address.family === "IPv6" ? `[${address.address}]` : address.address);
    }
    names.add(hostname().toLowerCase());
    names.add(`${hostname().toLowerCase()}.local`);
  } else {
    names.add(bindHost.includes(":") && !bindHost.startsWith("[") ? `[${bindHost}]` : bindHost);
  }
  return [...names];
}

/**
 * Serves the admin app with @hono/node-server. Binds to 127.0.0.1 unless told otherwise, and
 * refuses to listen beyond loopback without a token (`SS_ADMIN_TOKEN_REQUIRED`).
 * @example
 * const admin = await startAdminServer({ host, chat, token: process.env.STARSTREAMER_ADMIN_TOKEN });
 * console.log(`admin page: ${admin.url}/modules`);
 */
export async function startAdminServer(options: AdminServerOptions): Promise<AdminServer> {
  const bindHost = options.bindHost ?? "127.0.0.1";
  const token = options.token?.trim() || undefined;
  if (!isLoopback(bindHost) && !token) {
    throw new StarStreamerError(
      AdminErrorCodes.TOKEN_REQUIRED,
      `the admin server would listen on ${bindHost}, reachable from other machines: set STARSTREAMER_ADMIN_TOKEN (a long random string) or use --host 127.0.0.1`,
      { data: { host: bindHost } },
    );
  }
  const app = createAdminApp({
    host: options.host,
    chat: options.chat,
    token,
    allowedHosts: allowedHostsFor(bindHost, options.allowedHosts ?? []),
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: bindHost, port: options.port ?? 8888 }, () => resolve(s));
    s.once("error", reject);
  });
  const { port } = server.address() as AddressInfo;
  const shown = WILDCARDS.has(bindHost) ? "127.0.0.1" : bindHost.includes(":") ? `[${bindHost}]` : bindHost;
  const url = `http://${shown}:${port}`;
  (options.logger ?? options.host.logger).info(`admin page: ${url}/modules`);
  let closing: Promise<void> | null = null;
  return {
    url,
    port,
    reportTypeCheck: (report) => app.reportTypeCheck(report),
    close() {
      closing ??= new Promise<void>((resolve) => {
        // Streams end cleanly first; a client that does not let go is cut after a grace period.
        app.feed.closeAll();
        const sockets = server as { closeIdleConnections?: () => void; closeAllConnections?: () => void };
        const force = setTimeout(() => sockets.closeAllConnections?.(), CLOSE_GRACE_MS);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        sockets.closeIdleConnections?.();
      });
      return closing;
    },
  };
}
