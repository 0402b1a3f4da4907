import { afterEach, describe, expect, it } from "vitest";
import { moduleDir } from "../paths.ts";
import { cleanupCli, makeProject, startCli } from "./cli-process.ts";

afterEach(cleanupCli);

describe("starting up", () => {
  it("announces the one-off work of a first start while it happens, and not on the next start", async () => {
    const root = makeProject([moduleDir("greeter")]);
    const first = startCli(["start", "--offline"], root);
    await first.waitFor(/StarStreamer start ready in \d+ ms/, { timeoutMs: 60_000 });
    const notice = first.output.indexOf("first start with data/: building the shared package bundles");
    expect(notice).toBeGreaterThanOrEqual(0);
    expect(notice).toBeLessThan(first.output.indexOf("StarStreamer start ready"));
    first.proc.kill("SIGINT");
    expect((await first.exited).code).toBe(0);

    const second = startCli(["start", "--offline"], root);
    await second.waitFor(/StarStreamer start ready in \d+ ms/, { timeoutMs: 60_000 });
    expect(second.output).not.toContain("first start with");
    second.send("!greet");
    await second.waitFor("[bot] Hello Viewer! 👋");
    second.proc.kill("SIGINT");
    expect((await second.exited).code).toBe(0);
  }, 120_000);
});
