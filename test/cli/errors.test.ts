import { writeFileSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { cleanupCli, makeProject, startCli } from "./cli-process.ts";

afterEach(cleanupCli);

async function failure(args: string[], setup?: (root: string) => void) {
  const root = makeProject();
  setup?.(root);
  const cli = startCli(args, root);
  const { code } = await cli.exited;
  return { code, output: cli.output };
}

describe("bad flags and bad config", () => {
  it("an unknown flag exits 2 and lists the accepted ones", async () => {
    const { code, output } = await failure(["dev", "--relaod"]);
    expect(code).toBe(2);
    expect(output).toMatch(/unknown option --relaod; accepted: --reload, --no-reload, --watch-dirs <value>/);
  });

  it("a bad flag value exits 2 naming the flag and what it expects", async () => {
    const { code, output } = await failure(["start", "--port", "70000"]);
    expect(code).toBe(2);
    expect(output).toContain("--port: expected an integer port from 1 to 65535, got 70000");
  });

  it("a bad config file exits 2 naming each key and what it expects", async () => {
    const { code, output } = await failure(["dev"], (root) =>
      writeFileSync(
        join(root, "starstreamer.config.json"),
        JSON.stringify({ admin: { prot: 1 }, logLevel: "loud", twitch: { accessToken: "x" } }),
      ),
    );
    expect(code).toBe(2);
    expect(output).toContain("3 problems in the config");
    expect(output).toContain('starstreamer.config.json: admin: unknown key "prot"; accepted: host, port');
    expect(output).toContain(
      'starstreamer.config.json: logLevel: expected one of "debug", "info", "warn", "error", got "loud"',
    );
    expect(output).toMatch(/twitch: unknown key "accessToken"; tokens .* come only from the environment/);
    expect(output).not.toContain("Error:");
  });

  it("an exit because nothing is left running says so (no modules, input closed, admin port taken)", async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    const port = String((busy.address() as AddressInfo).port);
    try {
      const root = makeProject([]);
      const cli = startCli(["start", "--offline", "--port", port], root);
      cli.proc.stdin!.end();
      const { code } = await cli.exited;
      expect(code).toBe(1);
      expect(cli.output).toContain(`admin page not available: port ${port} on 127.0.0.1 is in use`);
      expect(cli.output).toContain("starstreamer: stopping: nothing is left running");
    } finally {
      busy.close();
    }
  }, 60_000);
});
