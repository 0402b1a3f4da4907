import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { moduleDir } from "../paths.ts";
import { type CliProcess, cleanupCli, makeProject, startCli } from "./cli-process.ts";

const config = (body: string) =>
  `import { defineConfig } from "starstreamer";\nexport default defineConfig(${body});\n`;

describe("starstreamer dev and its config file, one session in phases", () => {
  let root: string;
  let cli: CliProcess;
  let configFile: string;
  beforeAll(async () => {
    // No config file at first: dev must notice one created while it runs.
    root = makeProject([moduleDir("greeter")]);
    configFile = join(root, "starstreamer.config.ts");
    cli = startCli(["dev", "--watch-dirs", "modules"], root);
    await cli.waitFor(/ready in \d+ ms/, { timeoutMs: 60_000 });
    cli.send("!greet");
    await cli.waitFor("[bot] Hello Viewer! 👋");
  }, 90_000);
  afterAll(cleanupCli);

  it("notices a config file created while it runs, restarts with it and says how long the bot was down", async () => {
    const mark = cli.mark();
    writeFileSync(configFile, config('{ commandPrefix: "?" }'));
    await cli.waitFor(/starstreamer\.config\.ts changed: restarting the bot/, { since: mark });
    await cli.waitFor(/the bot is back: it was down for \d+\.\d s/, { since: mark, timeoutMs: 30_000 });
    cli.send("?greet");
    await cli.waitFor("[bot] Hello Viewer! 👋", { since: mark });
    expect(cli.output.slice(mark)).toContain("shutting down (restart: starstreamer.config.ts changed)");
    expect(cli.output.slice(mark)).not.toContain("Ctrl-C");
  });

  it("keeps the running bot on an invalid value, naming the key", async () => {
    const mark = cli.mark();
    writeFileSync(configFile, config('{ commandPrefix: "?", logLevel: "loud" }'));
    await cli.waitFor(/config is not valid; the bot keeps running with the previous one/, { since: mark });
    await cli.waitFor(/logLevel: expected one of "debug", "info", "warn", "error", got "loud"/, {
      since: mark,
    });
    cli.send("?greet");
    await cli.waitFor("[bot] Hello Viewer! 👋", { since: mark });
    expect(cli.output.slice(mark)).not.toMatch(/restarting the bot|shutting down/);
  });

  it("keeps the running bot on a syntax error, and shows it with file:line:column", async () => {
    const mark = cli.mark();
    writeFileSync(
      configFile,
      `import { defineConfig } from "starstreamer";\nexport default defineConfig({ commandPrefix: "?" ;\n`,
    );
    await cli.waitFor(
      /starstreamer\.config\.ts could not be loaded: starstreamer\.config\.ts:2:\d+: Expected "\}" but found ";"/,
      { since: mark },
    );
    cli.send("?greet");
    await cli.waitFor("[bot] Hello Viewer! 👋", { since: mark });
    expect(cli.output.slice(mark)).not.toMatch(/restarting the bot|shutting down/);
  });

  it("restarts with the fixed config, and later edits take effect", async () => {
    const mark = cli.mark();
    writeFileSync(configFile, config('{ commandPrefix: "$" }'));
    await cli.waitFor(/the bot is back: it was down for/, { since: mark, timeoutMs: 30_000 });
    cli.send("$greet");
    await cli.waitFor("[bot] Hello Viewer! 👋", { since: mark });
  });

  it("stops on Ctrl-C with exit code 0", async () => {
    cli.proc.kill("SIGINT");
    expect((await cli.exited).code).toBe(0);
    expect(cli.output).toContain("shutting down (Ctrl-C)");
  });
});
