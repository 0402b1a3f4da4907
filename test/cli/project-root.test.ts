import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { moduleDir } from "../paths.ts";
import { cleanupCli, makeProject, startCli } from "./cli-process.ts";

afterEach(cleanupCli);

describe("finding the project", () => {
  it("run from inside a module folder, uses the project above it and its modules", async () => {
    const root = makeProject([moduleDir("greeter")]);
    const inner = join(root, "modules", "greeter");
    const cli = startCli(["start", "--offline"], inner);
    await cli.waitFor(/StarStreamer start ready/, { timeoutMs: 60_000 });
    expect(cli.output).toContain("using the project in ../.. (it has package.json)");
    expect(cli.output).toMatch(/modules {2}greeter 1\.0\.0/);
    cli.send("!greet");
    await cli.waitFor("[bot] Hello Viewer! 👋");
    cli.proc.kill("SIGINT");
    expect((await cli.exited).code).toBe(0);
    expect(existsSync(join(inner, "data"))).toBe(false);
    expect(existsSync(join(root, "data"))).toBe(true);
  });

  it("refuses, saying where to run it, when no folder up from here is a project", async () => {
    const lonely = mkdtempSync(join(tmpdir(), "starstreamer-nowhere-"));
    try {
      const cli = startCli(["start", "--offline"], lonely);
      expect((await cli.exited).code).toBe(2);
      expect(cli.output).toMatch(
        /no StarStreamer project in .*starstreamer-nowhere-.* or any folder above it: run the command in your bot's folder/,
      );
      expect(existsSync(join(lonely, "data"))).toBe(false);
    } finally {
      rmSync(lonely, { recursive: true, force: true });
    }
  });

  it("warns when --modules-dir names a folder that does not exist", async () => {
    const root = makeProject([]);
    mkdirSync(join(root, "elsewhere"));
    writeFileSync(join(root, "elsewhere", "note.txt"), "");
    const cli = startCli(["start", "--offline", "--modules-dir", "nowhere"], root);
    await cli.waitFor(/StarStreamer start ready/, { timeoutMs: 60_000 });
    expect(cli.output).toContain("the modules folder nowhere does not exist");
    cli.proc.kill("SIGINT");
    expect((await cli.exited).code).toBe(0);
  });
});
