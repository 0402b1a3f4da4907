import type { ModuleManifest } from "starstreamer/internal";
import { describe, expect, it } from "vitest";
import {
  dormantDependents,
  type GraphModule,
  loadOrder,
  orderError,
  serviceProviders,
  shutdownOrder,
  unmetNeeds,
  withDependents,
} from "./module-graph.ts";
import type { ModuleState } from "./module-record.ts";

function manifest(name: string, over: Partial<ModuleManifest> = {}): ModuleManifest {
  return {
    name,
    description: "",
    version: "1.0.0",
    author: "",
    dependencies: [],
    requires: [],
    provides: [],
    usesDatabase: false,
    canSnapshot: false,
    ...over,
  } as ModuleManifest;
}

function mod(name: string, state: ModuleState, over: Partial<ModuleManifest> = {}): GraphModule {
  return { name, state, wantEnabled: true, reason: null, manifest: manifest(name, over) };
}

describe("module graph", () => {
  it("orders new modules after their dependencies and after the providers of services they require", () => {
    const order = loadOrder(
      [],
      [
        manifest("shop", { requires: ["economy"] }),
        manifest("rpg", { provides: ["economy"], dependencies: ["chat"] }),
        manifest("chat"),
      ],
    );
    expect(order.order).toEqual(["chat", "rpg", "shop"]);
    expect(order.missing.size).toBe(0);
  });

  it("starts a module that requires a service after every module that claims it", () => {
    // Whichever of bank and bank2 starts second is refused; teller must wait for both, or it may
    // start while the survivor is still starting and be refused for a missing service.
    for (const incoming of [
      [manifest("bank", { provides: ["bank"] }), manifest("bank2", { provides: ["bank"] })],
      [manifest("bank2", { provides: ["bank"] }), manifest("bank", { provides: ["bank"] })],
    ]) {
      const order = loadOrder([], [...incoming, manifest("teller", { requires: ["bank"] })]);
      expect([...(order.after.get("teller") ?? [])].sort()).toEqual(["bank", "bank2"]);
      expect(order.order.at(-1)).toBe("teller");
    }
  });

  it("treats modules already loaded as done and names missing and cyclic dependencies", () => {
    const order = loadOrder(
      [mod("chat", "enabled")],
      [
        manifest("rpg", { dependencies: ["chat"] }),
        manifest("ghost-user", { dependencies: ["ghost"] }),
        manifest("a", { dependencies: ["b"] }),
        manifest("b", { dependencies: ["a"] }),
      ],
    );
    expect(order.order).toContain("rpg");
    expect(orderError("ghost-user", order)?.message).toMatch(/depends on "ghost"/);
    expect(orderError("a", order)?.code).toBe("SS_DEPENDENCY_CYCLE");
    expect(orderError("rpg", order)).toBeNull();
  });

  it("finds service providers among loaded modules and incoming manifests only", () => {
    const providers = serviceProviders(
      [mod("rpg", "enabled", { provides: ["economy"] }), mod("bank", "failed", { provides: ["vault"] })],
      [manifest("tips", { provides: ["tips"] })],
    );
    expect([...providers]).toEqual([
      ["economy", "rpg"],
      ["tips", "tips"],
    ]);
  });

  it("refuses a second provider, a dependency that is not enabled, and a required service nobody provides", () => {
    const modules = [mod("rpg", "enabled", { provides: ["economy"] }), mod("chat", "disabled")];
    expect(unmetNeeds(manifest("rpg2", { provides: ["economy"] }), modules)?.code).toBe(
      "SS_SERVICE_DUPLICATE",
    );
    expect(unmetNeeds(manifest("x", { dependencies: ["chat"] }), modules)?.message).toMatch(
      /chat \(disabled\)/,
    );
    expect(unmetNeeds(manifest("x", { dependencies: ["nope"] }), modules)?.message).toMatch(
      /nope \(not found\)/,
    );
    expect(unmetNeeds(manifest("x", { requires: ["vault"] }), modules)?.code).toBe("SS_SERVICE_MISSING");
    expect(unmetNeeds(manifest("shop", { requires: ["economy"] }), modules)).toBeNull();
    // A module reloading over itself is not a duplicate of itself.
    expect(unmetNeeds(manifest("rpg", { provides: ["economy"] }), modules)).toBeNull();
  });

  it("lists a module with its active dependents, dependents first, and refuses without cascade", () => {
    const base = mod("base", "enabled", { provides: ["economy"] });
    const shop = mod("shop", "enabled", { requires: ["economy"] });
    const tips = mod("tips", "enabled", { dependencies: ["shop"] });
    const idle = mod("idle", "disabled", { dependencies: ["base"] });
    const all = [base, shop, tips, idle];
    const active = (m: GraphModule) => m.state === "enabled";
    expect(() => withDependents(base, all, { cascade: false, verb: "disable", active })).toThrow(
      /cannot disable base: shop depends on it/,
    );
    expect(withDependents(base, all, { cascade: true, verb: "disable", active }).map((m) => m.name)).toEqual([
      "tips",
      "shop",
      "base",
    ]);
  });

  it("shuts dependents down before what they depend on", () => {
    const order = shutdownOrder([mod("shop", "enabled", { dependencies: ["base"] }), mod("base", "enabled")]);
    expect(order).toEqual(["shop", "base"]);
  });

  it("finds unloaded modules that depend on a provider", () => {
    const provider = mod("rpg", "enabled", { provides: ["economy"] });
    const shop = mod("shop", "unloaded", { requires: ["economy"] });
    const chat = mod("chat", "unloaded");
    expect(dormantDependents(provider, [provider, shop, chat]).map((m) => m.name)).toEqual(["shop"]);
  });
});
