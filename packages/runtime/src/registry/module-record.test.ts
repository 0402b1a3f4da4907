import { describe, expect, it } from "vitest";
import { DeliveryQueue } from "../bus/delivery-queue.ts";
import {
  canTransition,
  createRecord,
  isLoadedState,
  isRouted,
  MODULE_STATES,
  serialise,
} from "./module-record.ts";

const queue = () => new DeliveryQueue({ capacity: 10, onOverflow: () => {} });

describe("module record", () => {
  it("starts discovered, with no worker and the persisted enabled choice", () => {
    const record = createRecord({
      name: "dice",
      index: 0,
      dir: "/m/dice",
      wantEnabled: false,
      queue: queue(),
    });
    expect(record).toMatchObject({ state: "discovered", worker: null, wantEnabled: false, handlers: [] });
  });

  it("allows the lifecycle's transitions and refuses the rest", () => {
    expect(canTransition("discovered", "loading")).toBe(true);
    expect(canTransition("loading", "enabled")).toBe(true);
    expect(canTransition("enabled", "restarting")).toBe(true);
    expect(canTransition("restarting", "enabled")).toBe(true);
    expect(canTransition("failed", "loading")).toBe(true);
    expect(canTransition("discovered", "enabled")).toBe(false);
    expect(canTransition("unloaded", "enabled")).toBe(false);
    for (const state of MODULE_STATES) expect(canTransition(state, state)).toBe(true);
  });

  it("counts a restarting module as loaded, and routed only when it is meant to be enabled", () => {
    expect(isLoadedState("restarting")).toBe(true);
    expect(isLoadedState("failed")).toBe(false);
    expect(isRouted({ state: "restarting", wantEnabled: true })).toBe(true);
    expect(isRouted({ state: "restarting", wantEnabled: false })).toBe(false);
    expect(isRouted({ state: "disabled", wantEnabled: true })).toBe(false);
  });

  it("runs one module's operations one after another, a failure not blocking the next", async () => {
    const record = createRecord({
      name: "dice",
      index: 0,
      dir: "/m/dice",
      wantEnabled: true,
      queue: queue(),
    });
    const seen: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const first = serialise(record, async () => {
      await gate;
      seen.push("first");
      throw new Error("first failed");
    });
    const second = serialise(record, async () => {
      seen.push("second");
      return 2;
    });
    release();
    await expect(first).rejects.toThrow("first failed");
    await expect(second).resolves.toBe(2);
    expect(seen).toEqual(["first", "second"]);
  });
});
