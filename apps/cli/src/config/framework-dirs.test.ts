import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../../../../test/paths.ts";
import { frameworkSourceDirs } from "./framework-dirs.ts";

describe("frameworkSourceDirs", () => {
  it("in this repository, watches the sources of the CLI and of every framework package (not dist)", () => {
    expect(frameworkSourceDirs()).toEqual(
      [
        join(repoRoot, "apps", "cli", "src"),
        join(repoRoot, "packages", "plugins", "src"),
        join(repoRoot, "packages", "runtime", "src"),
        join(repoRoot, "packages", "starstreamer", "src"),
        join(repoRoot, "packages", "storage", "src"),
      ].sort(),
    );
  });
});
