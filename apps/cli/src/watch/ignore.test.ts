import { describe, expect, it } from "vitest";
import { isIgnoredPath, isSourceFile } from "./ignore.ts";

const options = { roots: ["/p/modules", "/p/packages"], modulesDir: "/p/modules", exclude: ["/p/data"] };

describe("watch ignore rules", () => {
  it("ignores tests, node_modules, dotfiles, build output and editor swap files", () => {
    for (const path of [
      "/p/modules/greeter/module.test.ts",
      "/p/modules/greeter/actions/greet.spec.ts",
      "/p/modules/greeter/test_helpers.ts",
      "/p/modules/greeter/node_modules/x/index.js",
      "/p/modules/.hidden/module.ts",
      "/p/modules/greeter/.module.ts.swp",
      "/p/modules/greeter/module.ts~",
      "/p/modules/greeter/4913",
      "/p/modules/greeter/.#module.ts",
      "/p/packages/runtime/dist/index.js",
      "/p/data/starstreamer.db",
    ]) {
      expect(isIgnoredPath(path, options), path).toBe(true);
    }
  });

  it("keeps sources, and a module named like a build folder", () => {
    for (const path of [
      "/p/modules/greeter/actions/greetings.ts",
      "/p/modules/build/module.ts",
      "/p/packages/runtime/src/host.ts",
    ]) {
      expect(isIgnoredPath(path, options), path).toBe(false);
    }
    // A dot folder above the watched root does not count.
    expect(
      isIgnoredPath("/home/.me/bot/modules/greeter/module.ts", { roots: ["/home/.me/bot/modules"] }),
    ).toBe(false);
  });

  it("counts .ts, .mts, .js, .mjs and .json changes only", () => {
    expect(["a.ts", "a.mts", "a.js", "a.mjs", "a.json"].every(isSourceFile)).toBe(true);
    expect(["a.md", "a.txt", "a.db", "a.css"].some(isSourceFile)).toBe(false);
  });
});
