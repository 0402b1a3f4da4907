import { isIP } from "node:net";

/** True for an address that only this machine can reach: `localhost`, `127.x.x.x`, `::1`. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (h === "localhost" || h === "::1") return true;
  return isIP(h) === 4 && h.startsWith("127.");
}

/**
 * The host name of a `Host` header (or the host part of an Origin), lower-cased, without the port;
 * an IPv6 address keeps its brackets. `null` when it is not a plausible host.
 */
export function hostnameOf(hostHeader: string): string | null {
  try {
    const url = new URL(`http://${hostHeader}`);
    if (url.username || url.password || url.pathname !== "/" || url.search) return null;
    return url.hostname.toLowerCase();
  } catch {
    return null;
  }
}
