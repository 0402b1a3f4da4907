import { describe, expect, it } from "vitest";
import { dependencyOrder } from "./dependency-order.ts";

describe("dependencyOrder", () => {
  it("puts dependencies first, stable by name", () => {
    const { order } = dependencyOrder([
      { name: "rpg", after: ["chat", "economy"] },
      { name: "economy", after: [] },
      { name: "chat", after: [] },
      { name: "alerts", after: [] },
    ]);
    expect(order).toEqual(["alerts", "chat", "economy", "rpg"]);
  });

  it("reports missing dependencies and cycles, and orders the rest", () => {
    const result = dependencyOrder([
      { name: "a", after: ["b"] },
      { name: "b", after: ["a"] },
      { name: "c", after: ["ghost"] },
      { name: "d", after: [] },
      { name: "e", after: ["a"] },
    ]);
    expect(result.order).toEqual(["c", "d"]);
    expect(result.missing.get("c")).toEqual(["ghost"]);
    expect(result.cycles.get("a")).toEqual(["a", "b", "a"]);
    expect(result.cycles.has("e")).toBe(true);
  });
});
