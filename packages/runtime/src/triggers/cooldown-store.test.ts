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

  it("release restores the windows as they were before the last start", () => {
    const store = new CooldownStore();
    store.start("m:h", "u1", both, 0);
    store.release("m:h", "u1");
    expect(store.check("m:h", "u1", both, 1)).toBeNull();
    expect(store.size).toBe(0);

    store.start("m:h", "u1", both, 0);
    store.start("m:h", "u1", both, 70_000);
    store.release("m:h", "u1");
    expect(store.check("m:h", "u1", both, 70_001)).toBeNull();
    expect(store.check("m:h", "u1", { globalMs: null, userMs: 100_000 }, 70_001)).toEqual({
      scope: "user",
      remainingMs: 29_999,
    });
    // A second release has nothing left to undo.
    store.release("m:h", "u1");
    expect(store.check("m:h", "u1", { globalMs: null, userMs: 100_000 }, 70_001)).not.toBeNull();
  });

  it("release by another user leaves the global window someone else started", () => {
    const store = new CooldownStore();
    store.start("m:h", "u1", both, 0);
    store.release("m:h", "u2");
    expect(store.check("m:h", "u2", both, 1)).toEqual({ scope: "global", remainingMs: 4_999 });
  });

  it("clearModule forgets every key with the prefix and no other", () => {
    const store = new CooldownStore();
    store.start("greeter:hi", "u1", both, 0);
    store.start("greeter:bye", "u1", both, 0);
    store.start("economy:give", "u1", both, 0);
    store.clearModule("greeter:");
    expect(store.check("greeter:hi", "u1", both, 1)).toBeNull();
    expect(store.check("greeter:bye", "u1", both, 1)).toBeNull();
    expect(store.check("economy:give", "u1", both, 1)).not.toBeNull();
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
