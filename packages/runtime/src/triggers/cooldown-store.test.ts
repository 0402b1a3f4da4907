import { describe, expect, it } from "vitest";
import { CooldownStore } from "./cooldown-store.ts";

const both = { globalMs: 5_000, userMs: 60_000 };

describe("CooldownStore", () => {
  it("blocks a key only after a start, for the rest of the window", () => {
    const store = new CooldownStore();
    const spec = { globalMs: 10_000, userMs: null };
    expect(store.check("m:h", "u1", spec, 0)).toBeNull();
    store.start("m:h", "u1", spec, 0);
    expect(store.check("m:h", "u2", spec, 4_000)).toEqual({ scope: "global", remainingMs: 6_000 });
    expect(store.check("m:h", "u2", spec, 10_000)).toBeNull();
    expect(store.check("other:h", "u2", spec, 1)).toBeNull();
  });

  it("keeps the user window per user and reports the longer of two windows", () => {
    const store = new CooldownStore();
    store.start("m:h", "u1", both, 0);
    expect(store.check("m:h", "u1", both, 1_000)).toEqual({ scope: "user", remainingMs: 59_000 });
    expect(store.check("m:h", "u2", both, 1_000)).toEqual({ scope: "global", remainingMs: 4_000 });
    expect(store.check("m:h", "u2", both, 5_000)).toBeNull();
    expect(store.check("m:h", "u1", both, 5_000)).toEqual({ scope: "user", remainingMs: 55_000 });
    const longGlobal = { globalMs: 120_000, userMs: 60_000 };
    expect(store.check("m:h", "u1", longGlobal, 1_000)).toEqual({ scope: "global", remainingMs: 119_000 });
  });

  it("skips the user window for an event without an author", () => {
    const store = new CooldownStore();
    const spec = { globalMs: null, userMs: 60_000 };
    store.start("m:h", null, spec, 0);
    expect(store.check("m:h", null, spec, 1)).toBeNull();
    expect(store.size).toBe(0);
  });

  it("measures windows with the spec given at check time, so a shorter cooldown after a reload applies at once", () => {
    const store = new CooldownStore();
    store.start("m:h", "u1", { globalMs: 60_000, userMs: null }, 0);
    expect(store.check("m:h", "u1", { globalMs: 10_000, userMs: null }, 11_000)).toBeNull();
  });

  it("keeps the later start when an earlier one is confirmed after it", () => {
    const store = new CooldownStore();
    store.start("m:h", "u1", both, 10_000);
    store.start("m:h", "u1", both, 2_000);
    expect(store.check("m:h", "u2", both, 12_000)).toEqual({ scope: "global", remainingMs: 3_000 });
    expect(store.check("m:h", "u1", both, 12_000)).toEqual({ scope: "user", remainingMs: 58_000 });
  });

  it("a pending hold is no window; a verdict that took it starts the window when the event was let through", () => {
    const store = new CooldownStore();
    const first = store.hold("m:h", "u1", both, 1_000);
    expect(first.blockers).toEqual([]);
    expect(store.check("m:h", "u1", both, 1_500)).toBeNull();
    expect(store.size).toBe(0);
    expect(store.pendingCount("m:h")).toBe(1);
    store.settle("m:h", first.serial, true, both);
    expect(store.pendingCount("m:h")).toBe(0);
    expect(store.check("m:h", "u1", both, 2_000)).toEqual({ scope: "user", remainingMs: 59_000 });
    expect(store.check("m:h", "u2", both, 2_000)).toEqual({ scope: "global", remainingMs: 4_000 });
  });

  it("a verdict that did not take it leaves no trace, and a second or unknown verdict changes nothing", () => {
    const store = new CooldownStore();
    const first = store.hold("m:h", "u1", both, 0);
    store.settle("m:h", first.serial, false, both);
    store.settle("m:h", first.serial, true, both);
    store.settle("m:h", 12_345, true, both);
    store.settle("other:h", first.serial, true, both);
    expect(store.check("m:h", "u1", both, 1)).toBeNull();
    expect(store.pendingCount("m:h")).toBe(0);
    expect(store.size).toBe(0);
  });

  it("a hold names, per scope, the oldest earlier pending hold that would block it and its remaining time", () => {
    const store = new CooldownStore();
    const a = store.hold("m:h", "u1", both, 0);
    const b = store.hold("m:h", "u2", both, 1_000);
    expect(b.serial).toBeGreaterThan(a.serial);
    expect(b.blockers).toEqual([[a.serial, "global", 4_000]]);
    const c = store.hold("m:h", "u1", both, 2_000);
    expect(c.blockers).toEqual([
      [a.serial, "global", 3_000],
      [a.serial, "user", 58_000],
    ]);
    // Once a is answered, b is the oldest that blocks globally.
    store.settle("m:h", a.serial, false, both);
    expect(store.hold("m:h", "u3", both, 2_500).blockers).toEqual([[b.serial, "global", 3_500]]);
    // Past every global window: only u2's own earlier hold still blocks u2.
    expect(store.hold("m:h", "u2", both, 8_000).blockers).toEqual([[b.serial, "user", 53_000]]);
    const userOnly = { globalMs: null, userMs: 60_000 };
    expect(store.hold("m:h", "u4", userOnly, 9_000).blockers).toEqual([]);
  });

  it("names at most one blocker per scope however many holds wait (a flood stays cheap to gate)", () => {
    const store = new CooldownStore();
    const first = store.hold("m:h", "u0", both, 0);
    for (let i = 1; i < 5_000; i++) {
      const { blockers } = store.hold("m:h", `u${i % 7}`, both, i);
      expect(blockers.length).toBeLessThanOrEqual(2);
      expect(blockers[0]).toEqual([first.serial, "global", 5_000 - i]);
    }
    expect(store.pendingCount("m:h")).toBe(5_000);
  });

  it("a hold whose verdict never comes (its worker died) expires with its window", () => {
    const store = new CooldownStore();
    store.hold("m:h", "u1", both, 0);
    expect(store.hold("m:h", "u1", both, 60_000).blockers).toEqual([]);
    store.prune(60_000);
    expect(store.pendingCount("m:h")).toBe(1);
    store.prune(120_000);
    expect(store.pendingCount("m:h")).toBe(0);
  });

  it("says whether a spec has a window for an event at all", () => {
    expect(CooldownStore.applies(null, { globalMs: null, userMs: 60_000 })).toBe(false);
    expect(CooldownStore.applies("u1", { globalMs: null, userMs: 60_000 })).toBe(true);
    expect(CooldownStore.applies(null, { globalMs: 1_000, userMs: null })).toBe(true);
  });

  it("clearModule forgets every key with the prefix and no other, pending holds included", () => {
    const store = new CooldownStore();
    store.hold("greeter:hi", "u2", both, 0);
    store.start("greeter:hi", "u1", both, 0);
    store.start("greeter:bye", "u1", both, 0);
    store.start("economy:give", "u1", both, 0);
    store.clearModule("greeter:");
    expect(store.check("greeter:hi", "u1", both, 1)).toBeNull();
    expect(store.check("greeter:bye", "u1", both, 1)).toBeNull();
    expect(store.check("economy:give", "u1", both, 1)).not.toBeNull();
    expect(store.pendingCount("greeter:hi")).toBe(0);
  });

  it("prunes expired windows every few starts so memory stays bounded", () => {
    const store = new CooldownStore({ pruneEvery: 10 });
    const spec = { globalMs: null, userMs: 1_000 };
    for (let i = 0; i < 9; i++) store.start("m:h", `u${i}`, spec, 0);
    expect(store.size).toBe(9);
    store.start("m:h", "late", spec, 5_000);
    expect(store.size).toBe(1);
    expect(store.check("m:h", "late", spec, 5_500)).toEqual({ scope: "user", remainingMs: 500 });
  });

  it("does not prune a window that a longer spec checked since still counts", () => {
    const store = new CooldownStore({ pruneEvery: 1_000 });
    store.start("m:h", "u1", { globalMs: 1_000, userMs: null }, 0);
    expect(store.check("m:h", "u1", { globalMs: 10_000, userMs: null }, 500)).not.toBeNull();
    store.prune(5_000);
    expect(store.check("m:h", "u1", { globalMs: 10_000, userMs: null }, 5_000)).toEqual({
      scope: "global",
      remainingMs: 5_000,
    });
  });
});
