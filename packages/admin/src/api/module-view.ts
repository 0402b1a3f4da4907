import type { Host, ModuleInfo, ModuleState } from "@starstreamer/runtime";
import type { TypeErrors } from "../live/type-errors.ts";
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

/** Builds the API's view of modules. */
export interface ModuleViews {
  /** One module; throws SS_MODULE_NOT_FOUND for an unknown name. */
  one(name: string): Promise<ModuleView>;
  /** Every registered module, by name. */
  all(): Promise<ModuleView[]>;
}

/** The API's module views over a host, with type errors from `typeErrors`. */
export function createModuleViews(host: Host, typeErrors: TypeErrors): ModuleViews {
  const one = (name: string) => moduleView(host, name, typeErrors);
  return { one, all: () => Promise.all(host.registry.names().map(one)) };
}

/** A module's figures plus its last reload from the host's history, as the API shows it. */
async function moduleView(host: Host, name: string, typeErrors: TypeErrors): Promise<ModuleView> {
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
    typeErrors: typeErrors.of(name),
    actions: ACTIONS[info.state] ?? [],
  };
}
