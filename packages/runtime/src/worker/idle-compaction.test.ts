import { constants, PerformanceObserver } from "node:perf_hooks";
import { describe, expect, it } from "vitest";
import { IDLE_UTILIZATION, IdleCompaction } from "./idle-compaction.ts";

/** A compaction whose clock is the test: each `check()` reads the next utilization given. */
function scripted(options: { failing?: boolean } = {}) {
  const state = { utilization: 0, compacted: 0 };
  const idle = new IdleCompaction({
    utilization: () => state.utilization,
    compact: async () => {
      state.compacted++;
      if (options.failing) throw new Error("measurement refused");
    },
    // Checks are driven by the test; the timer never fires during it.
    intervalMs: 3_600_000,
  });
  return { idle, state };
}

describe("IdleCompaction", () => {
  it("compacts once the thread is idle after work, once per busy period", async () => {
    const { idle, state } = scripted();
    idle.arm();
    state.utilization = 0.5;
    await idle.check();
    expect(state.compacted).toBe(0);
    state.utilization = 0;
    await idle.check();
    expect(state.compacted).toBe(1);
    // Still idle: nothing new to give back.
    await idle.check();
    expect(state.compacted).toBe(1);
    // A busy interval (a burst of events), then idle again: one more.
    state.utilization = 0.3;
    await idle.check();
    state.utilization = IDLE_UTILIZATION / 2;
    await idle.check();
    expect(state.compacted).toBe(2);
    expect(idle.compactions).toBe(2);
    idle.stop();
  });

  it("does nothing before any work, and checks only from the first arm until stop", async () => {
    const { idle, state } = scripted();
    expect(idle.checking).toBe(false);
    await idle.check();
    expect(state.compacted).toBe(0);
    idle.arm();
    expect(idle.checking).toBe(true);
    idle.stop();
    expect(idle.checking).toBe(false);
  });

  it("counts a thread at the threshold as busy", async () => {
    const { idle, state } = scripted();
    idle.arm();
    state.utilization = IDLE_UTILIZATION;
    await idle.check();
    expect(state.compacted).toBe(0);
    idle.stop();
  });

  it("keeps going when a compaction fails", async () => {
    const { idle, state } = scripted({ failing: true });
    idle.arm();
    await idle.check();
    expect(state.compacted).toBe(1);
    idle.arm();
    await idle.check();
    expect(state.compacted).toBe(2);
    idle.stop();
  });

  it("runs a real full GC in this thread by default", async () => {
    const kinds: number[] = [];
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries())
        kinds.push((entry as unknown as { detail: { kind: number } }).detail.kind);
    });
    observer.observe({ entryTypes: ["gc"] });
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on("warning", onWarning);
    const idle = new IdleCompaction({ utilization: () => 0, intervalMs: 3_600_000 });
    try {
      idle.arm();
      await idle.check();
      expect(idle.compactions).toBe(1);
      // GC entries are delivered on a later turn: wait for the major one, with a deadline.
      const deadline = Date.now() + 10_000;
      while (!kinds.includes(constants.NODE_PERFORMANCE_GC_MAJOR) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(kinds).toContain(constants.NODE_PERFORMANCE_GC_MAJOR);
      // Node's "experimental" notice for the API stays off the user's console. Warnings arrive on
      // a later tick, in the order they were emitted: a sentinel emitted now comes after it.
      process.emitWarning("idle-compaction test sentinel");
      const sentinelBy = Date.now() + 10_000;
      while (!warnings.includes("idle-compaction test sentinel") && Date.now() < sentinelBy) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(warnings).toContain("idle-compaction test sentinel");
      expect(warnings.filter((w) => w.includes("measureMemory"))).toEqual([]);
    } finally {
      process.off("warning", onWarning);
      idle.stop();
      observer.disconnect();
    }
  });
});
