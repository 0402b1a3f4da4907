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

/** Plugin states, when the host reports them (`host.pluginStatus()`); "not configured" otherwise. */
function connections(host: Host): StatsView["connections"] {
  const reporting = host as Host & { pluginStatus?: () => Record<string, PluginStatus | undefined> };
  const status = typeof reporting.pluginStatus === "function" ? reporting.pluginStatus() : {};
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
