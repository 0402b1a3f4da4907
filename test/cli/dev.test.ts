import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { afterEach, describe, expect, it } from "vitest";
import { moduleDir } from "../paths.ts";
import { cleanupCli, cliFixture, makeProject, startCli } from "./cli-process.ts";

afterEach(cleanupCli);

const greetings = readFileSync(join(moduleDir("greeter"), "actions", "greetings.ts"), "utf8");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const CONFIG_TS = `import { defineConfig } from "starstreamer";\nexport default defineConfig({ reload: { debounceMs: 300 } });\n`;

describe("starstreamer dev", () => {
  it("chats offline, reloads edited, broken, new and deleted modules, restarts on framework changes, and stops cleanly on Ctrl-C", async () => {
    const root = makeProject([moduleDir("greeter"), cliFixture("farewell")]);
    mkdirSync(join(root, "fw"));
    writeFileSync(join(root, "fw", "lib.ts"), "export const x = 1;\n");
    writeFileSync(join(root, "starstreamer.config.ts"), CONFIG_TS);
    const shutdowns = join(root, "shutdowns.log");
    const greetingsFile = join(root, "modules", "greeter", "actions", "greetings.ts");
    const cli = startCli(["dev", "--watch-dirs", "modules,fw"], root);

    // Ready, with a banner saying what loaded and that the bot runs offline.
    await cli.waitFor(/ready in \d+ ms/);
    expect(cli.output).toMatch(/modules {2}farewell 1\.0\.0, greeter 1\.0\.0/);
    expect(cli.output).toMatch(/twitch {3}offline/);
    cli.send("!greet");
    await cli.waitFor("[bot] Hello Viewer! 👋");

    // An edit reloads the module; the next !greet gets the new reply.
    let mark = cli.mark();
    const saved = performance.now();
    writeFileSync(greetingsFile, greetings.replace("Hello ${", "Howdy ${"));
    await cli.waitFor(/reloaded greeter 1\.0\.0 in \d+ ms/, { since: mark });
    cli.send("!greet");
    await cli.waitFor("[bot] Howdy Viewer! 👋", { since: mark });
    console.log(
      `save-to-live (watch + debounce 300 ms + reload + chat round trip): ${Math.round(performance.now() - saved)} ms`,
    );

    // A syntax error keeps the old version serving and says file:line.
    mark = cli.mark();
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
    mark = cli.mark();
    writeFileSync(greetingsFile, greetings.replace("Hello ${", "Hey ${"));
    await cli.waitFor(/reloaded greeter/, { since: mark });

    // A new module folder is discovered and loaded.
    mark = cli.mark();
    cpSync(cliFixture("echo"), join(root, "modules", "echo"), { recursive: true });
    await cli.waitFor(/loaded new module echo 0\.2\.0/, { since: mark });
    cli.send("!echo hi there");
    await cli.waitFor("[bot] echo: hi there", { since: mark });

    // A deleted one is unloaded: shut down, and no longer answers.
    mark = cli.mark();
    rmSync(join(root, "modules", "echo"), { recursive: true });
    await cli.waitFor(/unloaded echo \(folder removed\)/, { since: mark });
    expect(readFileSync(shutdowns, "utf8")).toContain("echo");
    cli.send("!echo still there?");
    cli.send("!greet");
    await cli.waitFor("[bot] Hey Viewer! 👋", { since: mark });
    await sleep(200);
    expect(cli.output.slice(mark)).not.toContain("still there?");

    // A change in a framework folder restarts the host process.
    mark = cli.mark();
    writeFileSync(join(root, "fw", "lib.ts"), "export const x = 2;\n");
    await cli.waitFor(/fw\/lib\.ts changed: restarting the bot/, { since: mark });
    await cli.waitFor(/ready in \d+ ms/, { since: mark });
    cli.send("!greet");
    await cli.waitFor("[bot] Hey Viewer! 👋", { since: mark });

    // A host that cannot start (bad config) does not take the supervisor down; a fix restarts it.
    mark = cli.mark();
    writeFileSync(
      join(root, "starstreamer.config.ts"),
      CONFIG_TS.replace("debounceMs: 300", 'debounceMs: "fast"'),
    );
    await cli.waitFor(/reload\.debounceMs: expected an integer number of milliseconds/, { since: mark });
    await cli.waitFor(/the bot exited \(code 2\)/, { since: mark });
    mark = cli.mark();
    writeFileSync(join(root, "starstreamer.config.ts"), CONFIG_TS);
    await cli.waitFor(/ready in \d+ ms/, { since: mark });

    // Ctrl-C: modules shut down, exit code 0.
    rmSync(shutdowns, { force: true });
    cli.proc.kill("SIGINT");
    const { code } = await cli.exited;
    expect(code).toBe(0);
    expect(existsSync(shutdowns) && readFileSync(shutdowns, "utf8")).toBe("farewell\n");
    expect(cli.output).toContain("stopped");
  }, 45_000);

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
    cli.proc.kill("SIGINT");
    expect((await cli.exited).code).toBe(0);
    expect(readFileSync(join(root, "shutdowns.log"), "utf8")).toBe("farewell\n");
  });
});
