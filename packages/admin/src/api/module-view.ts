import type { Host, ModuleInfo, ModuleState } from "@starstreamer/runtime";
import type { ModuleAction, ModuleView } from "./schemas.ts";

/**
 * The buttons that fit each state. A hint for the page and the CLI only: the registry decides
 * what is allowed and says why not (the API passes its answer on).
 */
const ACTIONS: Record<ModuleState, ModuleAction[]> = {
  discovered: ["load"],
  loading: [],
  enabled: ["disable", "reload", "unload"],
  disabled: ["enable", "reload", "unload"],
  restarting: ["reload", "unload"],
  failed: ["load"],
  unloaded: ["load"],
};

/** A module's figures plus its last reload from the host's history, as the API shows it. */
export async function moduleView(host: Host, name: string): Promise<ModuleView> {
  const info: ModuleInfo = host.registry.info(name);
  const history = await host.registry.reloadStats(name);
  const { dir: _dir, ...rest } = info;
  return {
    ...rest,
    lastReload:
      history.lastDurationMs === null
        ? null
        : {
            ok: history.lastError === null,
            durationMs: history.lastDurationMs,
            at: history.lastAt,
            error: history.lastError,
          },
    actions: ACTIONS[info.state] ?? [],
  };
}

/** Every registered module, by name. */
export async function moduleViews(host: Host): Promise<ModuleView[]> {
  return Promise.all(host.registry.names().map((name) => moduleView(host, name)));
}
