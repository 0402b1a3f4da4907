import type { Host } from "@starstreamer/runtime";
import type { PluginStatus } from "starstreamer";
import type { ConnectionView, StatsView } from "./schemas.ts";

const NOT_CONFIGURED: ConnectionView = {
  configured: false,
  kind: null,
  state: null,
  detail: null,
  connections: null,
};

/** Plugin states as the host reports them; "not configured" for a plugin the host does not have. */
function connections(host: Host): StatsView["connections"] {
  const status: Record<string, PluginStatus | undefined> = host.pluginStatus();
  const view = (s: PluginStatus | undefined): ConnectionView =>
    s
      ? {
          configured: true,
          kind: s.kind,
          state: s.state,
          detail: s.detail ?? null,
          connections: s.connections ?? null,
        }
      : NOT_CONFIGURED;
  return { twitch: view(status.twitch), obs: view(status.obs) };
}

/** The header figures: module counts, reload totals, connection states. */
export async function statsView(host: Host): Promise<StatsView> {
  const { total, loaded, enabled, failed } = host.registry.stats();
  return {
    total,
    loaded,
    enabled,
    failed,
    reloads: await host.registry.reloadStats(),
    connections: connections(host),
  };
}
