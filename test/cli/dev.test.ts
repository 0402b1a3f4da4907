import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { moduleDir } from "../paths.ts";
import { type CliProcess, cleanupCli, cliFixture, makeProject, startCli } from "./cli-process.ts";

const greetings = readFileSync(join(moduleDir("greeter"), "actions", "greetings.ts"), "utf8");
const CONFIG_TS = `import { defineConfig } from "starstreamer";\nexport default defineConfig({ reload: { debounceMs: 300 } });\n`;

describe("starstreamer dev, one session in phases", () => {
  // One dev process for the whole describe: each phase is its own test, so a failure names it.
  let root: string;
  let cli: CliProcess;
  let greetingsFile: string;
  let shutdowns: string;
  beforeAll(async () => {
    root = makeProject([moduleDir("greeter"), cliFixture("farewell")]);
    mkdirSync(join(root, "fw"));
    writeFileSync(join(root, "fw", "lib.ts"), "export const x = 1;\n");
    writeFileSync(join(root, "starstreamer.config.ts"), CONFIG_TS);
    shutdowns = join(root, "shutdowns.log");
    greetingsFile = join(root, "modules", "greeter", "actions", "greetings.ts");
    cli = startCli(["dev", "--watch-dirs", "modules,fw"], root);
    await cli.waitFor(/ready in \d+ ms/, { timeoutMs: 60_000 });
  }, 90_000);
  afterAll(cleanupCli);

  it("starts ready, with a banner saying what loaded and that the bot runs offline, and answers chat", async () => {
    expect(cli.output).toMatch(/modules {2}farewell 1\.0\.0, greeter 1\.0\.0/);
    expect(cli.output).toMatch(/twitch {3}offline/);
    cli.send("!greet");
    await cli.waitFor("[bot] Hello Viewer! 👋");
  });

  it("reloads an edited module, and the next !greet gets the new reply", async () => {
    const mark = cli.mark();
    const saved = performance.now();
    writeFileSync(greetingsFile, greetings.replace("Hello ${", "Howdy ${"));
    await cli.waitFor(/reloaded greeter 1\.0\.0 in \d+ ms/, { since: mark });
    cli.send("!greet");
    await cli.waitFor("[bot] Howdy Viewer! 👋", { since: mark });
    console.log(
      `save-to-live (watch + debounce 300 ms + reload + chat round trip): ${Math.round(performance.now() - saved)} ms`,
    );
  });

  it("keeps the old version serving on a syntax error, says file:line, and /modules says which version serves", async () => {
    let mark = cli.mark();
    writeFileSync(
      greetingsFile,
      `${greetings.replace("Hello ${", "Howdy ${")}\non("twitch.follow", async () => {\n`,
    );
    await cli.waitFor(
      /reload of greeter failed in \d+ ms: .*modules\/greeter\/actions\/greetings\.ts:\d+:\d+/,
      {
        since: mark,
      },
    );
    cli.send("!greet");
    await cli.waitFor("[bot] Howdy Viewer! 👋", { since: mark });
    cli.send("/modules");
    await cli.waitFor(/greeter +1\.0\.0 +enabled \(the last reload failed; the previous version serves\)/, {
      since: mark,
    });
    mark = cli.mark();
    writeFileSync(greetingsFile, greetings.replace("Hello ${", "Hey ${"));
    await cli.waitFor(/reloaded greeter/, { since: mark });
    cli.send("/modules");
    await cli.waitFor(/greeter +1\.0\.0 +enabled\n/, { since: mark });
  });

  it("loads a new module folder once, with one line", async () => {
    const mark = cli.mark();
    cpSync(cliFixture("echo"), join(root, "modules", "echo"), { recursive: true });
    await cli.waitFor(/loaded new module echo 0\.2\.0/, { since: mark });
    cli.send("!echo hi there");
    await cli.waitFor("[bot] echo: hi there", { since: mark });
    expect(cli.output.slice(mark)).not.toMatch(/loaded echo 0\.2\.0/);
  });

  it("unloads a deleted module folder: shut down, and no longer answers", async () => {
    const mark = cli.mark();
    rmSync(join(root, "modules", "echo"), { recursive: true });
    await cli.waitFor(/unloaded echo \(folder removed\)/, { since: mark });
    expect(readFileSync(shutdowns, "utf8")).toContain("echo");
    cli.send("!echo still there?");
    cli.send("!greet");
    await cli.waitFor("[bot] Hey Viewer! 👋", { since: mark });
    expect(cli.output.slice(mark)).not.toContain("echo: still there?");
  });

  it("restarts the host process on a framework change, saying which file and how long the bot was down", async () => {
    const mark = cli.mark();
    writeFileSync(join(root, "fw", "lib.ts"), "export const x = 2;\n");
    await cli.waitFor(/fw\/lib\.ts changed: restarting the bot/, { since: mark });
    await cli.waitFor(/ready in \d+ ms/, { since: mark });
    await cli.waitFor(/the bot is back: it was down for \d+\.\d s/, { since: mark });
    expect(cli.output.slice(mark)).toContain("shutting down (restart: fw/lib.ts changed)");
    expect(cli.output.slice(mark)).not.toContain("Ctrl-C");
    cli.send("!greet");
    await cli.waitFor("[bot] Hey Viewer! 👋", { since: mark });
  });

  it("stops cleanly on Ctrl-C: modules shut down, exit code 0", async () => {
    rmSync(shutdowns, { force: true });
    cli.proc.kill("SIGINT");
    const { code } = await cli.exited;
    expect(code).toBe(0);
    expect(existsSync(shutdowns) && readFileSync(shutdowns, "utf8")).toBe("farewell\n");
    expect(cli.output).toContain("shutting down (Ctrl-C)");
    expect(cli.output).toContain("stopped");
  });
});

describe("starstreamer start", () => {
  afterEach(cleanupCli);

  it("start runs without watching, says which modules failed and why, answers chat, and exits 0 on SIGINT", async () => {
    const root = makeProject([moduleDir("greeter"), cliFixture("farewell")]);
    mkdirSync(join(root, "modules", "broken"));
    writeFileSync(join(root, "modules", "broken", "module.ts"), "export default class {\n");
    const cli = startCli(["start", "--offline"], root);
    await cli.waitFor(/StarStreamer start ready/);
    expect(cli.output).toMatch(/modules {2}farewell 1\.0\.0, greeter 1\.0\.0\n/);
    expect(cli.output).toMatch(/failed {3}broken: broken did not build: modules\/broken\/module\.ts:2:\d+: /);
    expect(cli.output).toMatch(/reload {3}off/);
    expect(cli.output).toMatch(/offline \(--offline\)/);
    cli.send("/as ada mod !greet");
    await cli.waitFor("[bot] Hello Ada! 👋");
    // A simulated event no module handles says so; one that a module handles does not.
    let mark = cli.mark();
    cli.send("/simulate twitch.raid");
    await cli.waitFor("no enabled module handles twitch.raid", { since: mark });
    mark = cli.mark();
    cli.send("/simulate twitch.follow");
    await cli.waitFor(/\[bot\] Welcome .*! Thanks for following!/, { since: mark });
    expect(cli.output.slice(mark)).not.toContain("no enabled module handles");
    cli.proc.kill("SIGINT");
    expect((await cli.exited).code).toBe(0);
    expect(readFileSync(join(root, "shutdowns.log"), "utf8")).toBe("farewell\n");
  });
});
