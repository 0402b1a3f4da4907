import { describe, expect, it } from "vitest";
import { describeChange } from "./change-lines.ts";

describe("module change lines", () => {
  it("names the dependents unloaded with a module, with the verb agreeing", () => {
    const one = describeChange(
      { module: "economy", action: "unloaded", durationMs: 3, also: ["gamble"] },
      "/project",
    );
    expect(one.text).toBe("unloaded economy (folder removed), and gamble, which depends on it");
    const two = describeChange(
      { module: "economy", action: "unloaded", durationMs: 3, also: ["gamble", "shop"] },
      "/project",
    );
    expect(two.text).toBe("unloaded economy (folder removed), and gamble, shop, which depend on it");
  });

  it("says a failed reload keeps the previous version serving", () => {
    const { level, text } = describeChange(
      {
        module: "dice",
        action: "failed",
        error: "dice did not build: modules/dice/module.ts:3:1: Unexpected end of file",
        durationMs: 12,
        kept: true,
        files: ["/project/modules/dice/module.ts"],
      },
      "/project",
    );
    expect(level).toBe("error");
    expect(text).toBe(
      "reload of dice failed in 12 ms: dice did not build: modules/dice/module.ts:3:1: Unexpected end of file (the previous version keeps serving)",
    );
  });
});
