import { execFile } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { repoRoot } from "../paths.ts";
import { cleanupCli, makeProject, startCli } from "./cli-process.ts";

afterEach(cleanupCli);

const run = promisify(execFile);

describe("starstreamer new module", () => {
  it("scaffolds a module whose generated test passes as generated", async () => {
    const root = makeProject([]);
    const cli = startCli(["new", "module", "shout-out"], root);
    expect((await cli.exited).code).toBe(0);
    expect(cli.output).toContain("created modules/shout-out/");
    const dir = join(root, "modules", "shout-out");
    expect(readdirSync(dir).sort()).toEqual(["actions", "module.test.ts", "module.ts"]);
    expect(existsSync(join(dir, "actions", "commands.ts"))).toBe(true);

    // The generated test, run by vitest as a user would run it.
    const vitest = join(repoRoot, "node_modules", "vitest", "vitest.mjs");
    const { stdout } = await run(process.execPath, [vitest, "run", "--root", root, "modules/shout-out"], {
      cwd: root,
      env: { ...process.env, NO_COLOR: "1", CI: "1" },
      timeout: 30_000,
    });
    expect(stdout).toMatch(/1 passed/);
  }, 40_000);

  it("refuses a bad name and an existing folder with exit code 2", async () => {
    const root = makeProject();
    const bad = startCli(["new", "module", "Bad Name"], root);
    expect((await bad.exited).code).toBe(2);
    expect(bad.output).toMatch(/"Bad Name" is not a valid module name: use lower-case letters/);
    const existing = startCli(["new", "module", "greeter"], root);
    expect((await existing.exited).code).toBe(2);
    expect(existing.output).toMatch(/modules\/greeter already exists/);
  });
});
