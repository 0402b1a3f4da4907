import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { cleanupCli, makeProject, startCli } from "./cli-process.ts";

afterEach(cleanupCli);

const write = (root: string, path: string, code: string) => {
  mkdirSync(join(root, path, ".."), { recursive: true });
  writeFileSync(join(root, path), code);
};

describe("errors from module code point at the module's source", () => {
  it("a bad property access in initialize, a misspelled plugin method and a bad cooldown name the file and line", async () => {
    const root = makeProject([]);
    write(
      root,
      "modules/bad/module.ts",
      `import { BaseModule } from "starstreamer";

export default class Bad extends BaseModule {
  readonly name = "bad";
  override async initialize(): Promise<void> {
    const settings = undefined as unknown as { prize: { amount: number } };
    this.logger.info(String(settings.prize.amount));
  }
}
`,
    );
    write(
      root,
      "modules/slow/module.ts",
      `import { BaseModule } from "starstreamer";

export default class Slow extends BaseModule {
  readonly name = "slow";
  override async registerActions(): Promise<void> {
    await import("./actions/commands.ts");
  }
}
`,
    );
    write(
      root,
      "modules/slow/actions/commands.ts",
      `import { command, cooldown, on } from "starstreamer";

on(
  "twitch.chat.message",
  [command("!slow"), cooldown({ user: "10 seconds" as never })],
  async function slow() {},
);
`,
    );
    write(
      root,
      "modules/typo/module.ts",
      `import { BaseModule } from "starstreamer";

type Misspelled = { sendMesage(text: string): Promise<void> };

export default class Typo extends BaseModule {
  readonly name = "typo";
  override async initialize(): Promise<void> {
    await (this.ctx.twitch as unknown as Misspelled).sendMesage("hi");
  }
}
`,
    );
    const cli = startCli(["start", "--offline"], root);
    await cli.waitFor(/StarStreamer start ready/, { timeoutMs: 60_000 });
    expect(cli.output).toMatch(
      /failed {3}typo: typo called twitch\.sendMesage, .* \(at modules\/typo\/module\.ts:8:\d+\)/,
    );
    expect(cli.output).toMatch(
      /failed {3}bad: Cannot read properties of undefined \(reading 'prize'\) \(at modules\/bad\/module\.ts:7:\d+\)/,
    );
    expect(cli.output).toMatch(
      /failed {3}slow: invalid duration "10 seconds".* \(at modules\/slow\/actions\/commands\.ts:5:\d+\)/,
    );
    cli.proc.kill("SIGINT");
    expect((await cli.exited).code).toBe(0);
  });

  it("a handler that blocks its worker is named, with the event it was handling, and the module comes back", async () => {
    const root = makeProject([]);
    write(
      root,
      "modules/hang/module.ts",
      `import { BaseModule, command, on } from "starstreamer";

export default class Hang extends BaseModule {
  readonly name = "hang";
  override async registerActions(): Promise<void> {
    on("twitch.chat.message", command("!hang"), async function spin() {
      for (;;) {}
    });
    on("twitch.chat.message", command("!alive"), async function alive(_event, { twitch }) {
      await twitch.sendMessage("still here");
    });
  }
}
`,
    );
    const cli = startCli(["start", "--offline"], root);
    await cli.waitFor(/StarStreamer start ready/, { timeoutMs: 60_000 });
    cli.send("!hang");
    await cli.waitFor(
      /worker watchdog: .*\(while spin handled event [0-9a-f-]{36}; that event is not delivered again\)/,
      {
        timeoutMs: 30_000,
      },
    );
    await cli.waitFor(/restarted after a crash/, { timeoutMs: 30_000 });
    cli.send("!alive");
    await cli.waitFor("[bot] still here");
    cli.proc.kill("SIGINT");
    expect((await cli.exited).code).toBe(0);
  });
});
