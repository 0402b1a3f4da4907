import { describe, expect, it } from "vitest";
import { LatencyWindow } from "./latency-window.ts";

describe("LatencyWindow", () => {
  it("gives null when empty, then the quantiles of what it holds", () => {
    const window = new LatencyWindow(8);
    expect(window.quantile(0.5)).toBeNull();
    for (const ms of [5, 1, 4, 2, 3]) window.add(ms);
    expect(window.quantile(0.5)).toBe(3);
    expect(window.quantile(0.99)).toBe(5);
    expect(window.quantile(0)).toBe(1);
  });

  it("answers from the samples added since the last read, not a stale sort", () => {
    const window = new LatencyWindow(8);
    window.add(10);
    expect(window.quantile(0.99)).toBe(10);
    window.add(20);
    expect(window.quantile(0.99)).toBe(20);
    window.add(1);
    window.add(1);
    expect(window.quantile(0.5)).toBe(10);
  });

  it("keeps only the last N samples", () => {
    const window = new LatencyWindow(4);
    for (const ms of [100, 100, 100, 100, 1, 2, 3, 4]) window.add(ms);
    expect(window.quantile(0.99)).toBe(4);
    expect(window.quantile(0)).toBe(1);
  });
});
