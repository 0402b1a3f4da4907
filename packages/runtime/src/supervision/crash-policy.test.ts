import { describe, expect, it } from "vitest";
import { decideAfterCrash } from "./crash-policy.ts";

describe("crash policy", () => {
  it("restarts with a doubling backoff while failures stay under the limit", () => {
    const first = decideAfterCrash([], 1000);
    expect(first).toMatchObject({ action: "restart", delayMs: 250, failures: [1000] });
    const second = decideAfterCrash(first.failures, 2000);
    expect(second).toMatchObject({ action: "restart", delayMs: 500, failures: [1000, 2000] });
  });

  it("gives up at the third failure within the window and says so", () => {
    const decision = decideAfterCrash([1000, 2000], 3000);
    expect(decision.action).toBe("give-up");
    expect(decision.action === "give-up" && decision.reason).toBe("3 failures within 300 s; left stopped");
  });

  it("forgets failures older than the window", () => {
    const decision = decideAfterCrash([0, 1], 400_000, { windowMs: 300_000 });
    expect(decision).toMatchObject({ action: "restart", failures: [400_000], delayMs: 250 });
  });

  it("caps the backoff", () => {
    const decision = decideAfterCrash([1, 2, 3, 4], 5, {
      maxFailures: 10,
      backoffMs: 1000,
      maxBackoffMs: 3000,
    });
    expect(decision).toMatchObject({ action: "restart", delayMs: 3000 });
  });
});
