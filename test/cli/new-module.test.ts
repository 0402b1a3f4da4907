import { execFile } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, symlinkSync } from "node:fs";
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
    const { stdout } = await run(
      process.execPath,
      [
        vitest,
        "run",
        "--root",
        root,
        "--config",
        join(repoRoot, "test", "cli", "fixtures", "project-vitest.config.ts"),
        "modules/shout-out/",
      ],
      {
        cwd: root,
        env: { ...process.env, NO_COLOR: "1", CI: "1" },
        timeout: 30_000,
      },
    );
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

  it("writes files the project's formatter accepts, whatever the name's length, and says how to test them", async () => {
    const root = makeProject([]);
    copyFileSync(join(repoRoot, "biome.json"), join(root, "biome.json"));
    mkdirSync(join(root, "node_modules", "@biomejs"));
    symlinkSync(
      join(repoRoot, "node_modules", "@biomejs", "biome"),
      join(root, "node_modules", "@biomejs", "biome"),
    );
    const name = "a-rather-long-module-name-that-pushes-the-handler-line-past-the-width";
    const cli = startCli(["new", "module", name.slice(0, 64)], root);
    expect((await cli.exited).code).toBe(0);
    expect(cli.output).toContain("formatted with the project's biome settings");
    expect(cli.output).toContain(`test it with npx vitest run modules/${name.slice(0, 64)}/`);
    const biome = join(repoRoot, "node_modules", "@biomejs", "biome", "bin", "biome");
    const checked = await run(process.execPath, [biome, "check", `modules/${name.slice(0, 64)}`], {
      cwd: root,
      timeout: 30_000,
    });
    expect(`${checked.stdout}${checked.stderr}`).toMatch(/Checked 3 files/);
  }, 40_000);
});
