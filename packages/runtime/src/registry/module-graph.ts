import { type ModuleManifest, StarStreamerError } from "starstreamer/internal";
import { RuntimeErrorCodes } from "../errors.ts";
import { dependencyOrder, type OrderResult } from "./dependency-order.ts";
import { isLoadedState, isRouted, type ModuleState } from "./module-record.ts";

// Pure functions over the modules the registry knows: what loads after what, who provides a
// service, who depends on whom. No workers, no I/O: unit-tested on plain objects.

/** A module as the graph sees it. */
export interface GraphModule {
  name: string;
  state: ModuleState;
  wantEnabled: boolean;
  reason: string | null;
  manifest: ModuleManifest | null;
}

/**
 * Service name -> every module that claims it, over loaded modules plus manifests about to load
 * (loaded ones first). More than one is a conflict that starting settles: the second to start is
 * refused (see {@link unmetNeeds}).
 */
function serviceClaims(
  modules: Iterable<GraphModule>,
  incoming: readonly ModuleManifest[],
): Map<string, string[]> {
  const claims = new Map<string, string[]>();
  const claim = (service: string, name: string) => {
    const names = claims.get(service);
    if (names) names.push(name);
    else claims.set(service, [name]);
  };
  for (const m of modules) {
    if (m.manifest && isLoadedState(m.state)) for (const s of m.manifest.provides) claim(s, m.name);
  }
  for (const m of incoming) for (const s of m.provides) claim(s, m.name);
  return claims;
}

/** Service name -> providing module, over loaded modules plus manifests about to load. */
export function serviceProviders(
  modules: Iterable<GraphModule>,
  incoming: readonly ModuleManifest[] = [],
): Map<string, string> {
  return new Map([...serviceClaims(modules, incoming)].map(([service, names]) => [service, names.at(-1)!]));
}

/**
 * The order to start freshly prepared modules in: after their dependencies and after every module
 * that provides a service they require (modules already loaded count as done); missing and cyclic
 * ones apart. Every provider, not one: when two claim a service, which one is refused depends on
 * which starts first, and a module that waited only for the refused one could start while the
 * other was still starting, and be refused for a missing service.
 */
export function loadOrder(
  modules: Iterable<GraphModule>,
  incoming: readonly ModuleManifest[],
): OrderResult & { after: Map<string, string[]> } {
  const all = [...modules];
  const loaded = new Set(all.filter((m) => isLoadedState(m.state)).map((m) => m.name));
  const claims = serviceClaims(all, incoming);
  const nodes = incoming.map((manifest) => ({
    name: manifest.name,
    after: [
      ...new Set([
        ...manifest.dependencies,
        ...manifest.requires.flatMap((s) => claims.get(s) ?? []).filter((p) => p !== manifest.name),
      ]),
    ].filter((dep) => !loaded.has(dep)),
  }));
  return { ...dependencyOrder(nodes), after: new Map(nodes.map((n) => [n.name, n.after])) };
}

/** The error for a module left out of the load order, or null. */
export function orderError(name: string, order: OrderResult): StarStreamerError | null {
  const absent = order.missing.get(name);
  if (absent) {
    return new StarStreamerError(
      RuntimeErrorCodes.DEPENDENCY_MISSING,
      `${name} depends on ${absent.map((d) => `"${d}"`).join(", ")}, which ${absent.length > 1 ? "are" : "is"} not in the modules directory`,
      { data: { module: name, missing: absent } },
    );
  }
  const cycle = order.cycles.get(name);
  if (cycle) {
    return new StarStreamerError(
      RuntimeErrorCodes.DEPENDENCY_CYCLE,
      `${name} is in a dependency cycle: ${cycle.join(" -> ")}`,
      { data: { module: name, cycle } },
    );
  }
  return null;
}

/**
 * Checks that what a module needs is there before it starts: no other loaded module provides a
 * service it provides, its dependencies are enabled, its required services have a provider.
 * Returns the error to refuse it with, or null.
 */
export function unmetNeeds(
  manifest: ModuleManifest,
  modules: Iterable<GraphModule>,
): StarStreamerError | null {
  const all = [...modules];
  const byName = new Map(all.map((m) => [m.name, m]));
  for (const service of manifest.provides) {
    // A module starting at the same time (loading) holds its services too: modules start concurrently.
    const other = all.find(
      (m) =>
        m.name !== manifest.name &&
        (isLoadedState(m.state) || m.state === "loading") &&
        m.manifest?.provides.includes(service),
    );
    if (other) {
      return new StarStreamerError(
        RuntimeErrorCodes.SERVICE_DUPLICATE,
        `${manifest.name} provides the service "${service}", which ${other.name} already provides; one service has one provider`,
        { data: { module: manifest.name, service, provider: other.name } },
      );
    }
  }
  const absent = manifest.dependencies.filter((d) => {
    const m = byName.get(d);
    return !m || !isRouted(m);
  });
  if (absent.length > 0) {
    const why = absent.map((d) => {
      const m = byName.get(d);
      return m ? `${d} (${m.state}${m.reason ? `: ${m.reason}` : ""})` : `${d} (not found)`;
    });
    return new StarStreamerError(
      RuntimeErrorCodes.DEPENDENCY_MISSING,
      `${manifest.name} depends on ${why.join(", ")}`,
      {
        data: { module: manifest.name, missing: absent },
      },
    );
  }
  const providers = serviceProviders(
    all.filter((m) => m.name !== manifest.name),
    [manifest],
  );
  const services = manifest.requires.filter((s) => !providers.has(s));
  if (services.length > 0) {
    return new StarStreamerError(
      RuntimeErrorCodes.SERVICE_MISSING,
      `${manifest.name} requires the service${services.length > 1 ? "s" : ""} ${services.map((s) => `"${s}"`).join(", ")}, which no loaded module provides`,
      { data: { module: manifest.name, services } },
    );
  }
  return null;
}

/** Whether `other` depends on `target`, directly or through a service `target` provides. */
export function dependsOn(other: GraphModule, target: GraphModule): boolean {
  if (other === target || !other.manifest) return false;
  return (
    other.manifest.dependencies.includes(target.name) ||
    other.manifest.requires.some((s) => target.manifest?.provides.includes(s) ?? false)
  );
}

/**
 * `target` and every active module that depends on it, dependents first (the order to disable or
 * unload in). Without `cascade`, direct active dependents are an error naming them.
 */
export function withDependents<M extends GraphModule>(
  target: M,
  modules: Iterable<M>,
  options: { cascade: boolean; verb: "disable" | "unload"; active: (m: M) => boolean },
): M[] {
  const all = [...modules];
  const dependentsOf = (m: M): M[] => all.filter((o) => options.active(o) && dependsOn(o, m));
  const direct = dependentsOf(target);
  if (direct.length > 0 && !options.cascade) {
    const { verb } = options;
    throw new StarStreamerError(
      RuntimeErrorCodes.DEPENDENTS_ACTIVE,
      `cannot ${verb} ${target.name}: ${direct.map((d) => d.name).join(", ")} depend${direct.length === 1 ? "s" : ""} on it (${verb} ${direct.length === 1 ? "it" : "them"} first, or cascade)`,
      { data: { module: target.name, dependents: direct.map((d) => d.name) } },
    );
  }
  const ordered: M[] = [];
  const visit = (m: M) => {
    for (const d of dependentsOf(m)) if (!ordered.includes(d)) visit(d);
    if (!ordered.includes(m)) ordered.push(m);
  };
  visit(target);
  return ordered;
}

/** Names in the order to shut down: dependents before what they depend on, the rest after. */
export function shutdownOrder(modules: Iterable<GraphModule>): string[] {
  const all = [...modules];
  const { order } = dependencyOrder(
    all.map((m) => ({ name: m.name, after: m.manifest?.dependencies ?? [] })),
  );
  const rest = all.map((m) => m.name).filter((n) => !order.includes(n));
  return [...order].reverse().concat(rest);
}

/** Modules (not loaded) that depend on `provider`: brought back when it comes back. */
export function dormantDependents<M extends GraphModule>(provider: M, modules: Iterable<M>): M[] {
  return [...modules].filter((m) => m.state === "unloaded" && dependsOn(m, provider));
}
