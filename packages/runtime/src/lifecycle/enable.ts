import { StarStreamerError } from "starstreamer";
import { RuntimeErrorCodes } from "../errors.ts";
import { withDependents } from "../registry/module-graph.ts";
import { isLoadedState, serialise } from "../registry/module-record.ts";
import type { LifecycleDeps } from "./lifecycle-deps.ts";

/**
 * Routes events to a loaded module again, once what it depends on is enabled; the choice is
 * persisted.
 */
export async function enableModule(deps: LifecycleDeps, name: string): Promise<void> {
  const { core } = deps;
  const record = core.get(name);
  return serialise(record, async () => {
    if (!isLoadedState(record.state)) {
      throw new StarStreamerError(
        RuntimeErrorCodes.MODULE_STATE,
        `${name} is ${record.state}; load it first`,
        {
          data: { module: name, state: record.state },
        },
      );
    }
    const inactive = (record.manifest?.dependencies ?? []).filter((d) => !core.isEnabled(d));
    if (inactive.length > 0) {
      throw new StarStreamerError(
        RuntimeErrorCodes.DEPENDENCY_MISSING,
        `${name} needs ${inactive.join(", ")} enabled first`,
        { data: { module: name, missing: inactive } },
      );
    }
    record.wantEnabled = true;
    if (record.state === "disabled") core.setState(record, "enabled");
    await deps.store.setModuleEnabled(name, true);
  });
}

/**
 * Stops routing events to a module (and, with `cascade`, to the modules that depend on it) but
 * keeps their workers; persisted. Returns the modules affected.
 */
export async function disableModules(
  deps: LifecycleDeps,
  name: string,
  options: { cascade?: boolean },
): Promise<string[]> {
  const { core } = deps;
  const affected = withDependents(core.get(name), core.records.values(), {
    cascade: options.cascade ?? false,
    verb: "disable",
    active: (r) => core.isEnabled(r.name),
  });
  for (const target of affected) {
    await serialise(target, async () => {
      target.wantEnabled = false;
      if (target.state === "enabled") core.setState(target, "disabled");
      await deps.store.setModuleEnabled(target.name, false);
    });
  }
  return affected.map((r) => r.name);
}
