import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLocalChat, type LocalChatOutput } from "@starstreamer/plugins";
import { createHost, createLogger, type Host } from "@starstreamer/runtime";
import { createTestHost, type TestHost } from "@starstreamer/testing";
import type { StarEvent } from "starstreamer";
import { afterEach, describe, expect, it } from "vitest";
import { chaosFixture, sentTexts, until } from "./chaos-kit.ts";

// Issue 8, "Capabilities, enforced at the thread boundary": a module reaches only what it was given.

let t: TestHost | undefined;
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  await t?.close();
  t = undefined;
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}, 60_000);

const FORBIDDEN = "SS_PLUGIN_METHOD_FORBIDDEN";
const probeRefused = `probe: input-as refused ${FORBIDDEN}; input-quit refused ${FORBIDDEN}; close refused ${FORBIDDEN}`;

describe("8.12 a module calls plugin methods outside the plugin's module interface", () => {
  it("is refused with SS_PLUGIN_METHOD_FORBIDDEN and nothing is sent (test kit's fake Twitch)", async () => {
    t = await createTestHost({ modules: [chaosFixture("plugin-prober")] });
    t.chat("!probe");
    await t.waitForMessage(/^probe: /, { timeoutMs: 10_000 });
    t.chat("!prober-alive");
    await t.waitForMessage("prober alive", { timeoutMs: 10_000 });
    expect(sentTexts(t)).toEqual([probeRefused, "prober alive"]);
  });

  it("the real local chat keeps its input and close to the host: no /as, no /quit, still open", async () => {
    const root = mkdtempSync(join(tmpdir(), "starstreamer-chaos-"));
    cleanups.push(() => rmSync(root, { recursive: true, force: true }));
    const modulesDir = join(root, "modules");
    cpSync(chaosFixture("plugin-prober"), join(modulesDir, "plugin-prober"), { recursive: true });
    const quits: string[] = [];
    const shown: string[] = [];
    const events: StarEvent[] = [];
    let host: Host | undefined;
    const chat = createLocalChat({
      emit: (type, data, source) => host?.emit(type, data, source),
      commands: [
        { name: "quit", usage: "/quit", description: "stop the bot", run: () => void quits.push("quit") },
      ],
    });
    chat.onOutput((output: LocalChatOutput) => {
      if (output.kind === "bot") shown.push(output.text);
    });
    host = await createHost({
      modulesDir,
      dataDir: join(root, "data"),
      plugins: [chat],
      logger: createLogger({ write: null }),
    });
    const running = host;
    cleanups.push(() => running.close());
    running.bus.on("twitch.chat.message", (event) => events.push(event as StarEvent));
    await running.start();

    await chat.input("!probe");
    await until(() => shown.some((text) => text.startsWith("probe: ")), 10_000, "the probe's report");
    // Still open and still the host's: a line typed now is taken and answered.
    await chat.input("!prober-alive");
    await until(() => shown.includes("prober alive"), 10_000, "the sentinel's answer");
    expect(shown).toEqual([probeRefused, "prober alive"]);
    expect(quits).toEqual([]);
    const logins = events.map((e) => (e.data as { user: { login: string } }).user.login);
    expect(logins).toEqual(["viewer", "viewer"]);
  });
});

describe("8.14 a module looks for the host's secrets and handles", () => {
  const token = "chaosaccesstoken0123456789abcd";
  const secret = "chaosclientsecret0123456789abc";

  it("does not find TWITCH_ACCESS_TOKEN or TWITCH_CLIENT_SECRET in process.env", async () => {
    const saved = { token: process.env.TWITCH_ACCESS_TOKEN, secret: process.env.TWITCH_CLIENT_SECRET };
    process.env.TWITCH_ACCESS_TOKEN = token;
    process.env.TWITCH_CLIENT_SECRET = secret;
    cleanups.push(() => {
      for (const [key, value] of [
        ["TWITCH_ACCESS_TOKEN", saved.token],
        ["TWITCH_CLIENT_SECRET", saved.secret],
      ] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    });
    t = await createTestHost({ modules: [chaosFixture("snoop")] });
    t.chat("!env");
    const seen = await t.waitForMessage(/^env /, { timeoutMs: 10_000 });
    expect(seen.text).toBe("env TWITCH_ACCESS_TOKEN=<unset> TWITCH_CLIENT_SECRET=<unset>");
  });

  it("finds no host port and no heartbeat slot in workerData", async () => {
    t = await createTestHost({ modules: [chaosFixture("snoop")] });
    t.chat("!workerdata");
    const seen = await t.waitForMessage(/^keys /, { timeoutMs: 10_000 });
    expect(seen.text).not.toMatch(/hostPort|heartbeat/);
    expect(seen.text).toMatch(/handles \[\]$/);
  });
});

describe("8.15 a module holds 300 MB of Buffers under a 64 MB heap cap", () => {
  it("is stopped for its external memory and restarted", async () => {
    t = await createTestHost({
      modules: [chaosFixture("hoarder")],
      settings: { hoarder: { maxHeapMb: 64 } },
      limits: { crash: { backoffMs: 200 } },
    });
    t.chat("!hoard");
    await t.waitForMessage("hoarding 300 MB", { timeoutMs: 20_000 });
    const stopped = await t.logs.waitFor(
      (r) => r.fields.module === "hoarder" && /memory/i.test(r.message),
      30_000,
      "a log that stops hoarder for its memory",
    );
    expect(stopped.level).toBe("error");
    await until(() => t!.host.registry.info("hoarder").restarts >= 1, 30_000, "hoarder to restart");
    t.chat("!hoarder-alive");
    await t.waitForMessage("hoarder alive holding 0 MB", { timeoutMs: 20_000 });
  }, 90_000);
});

describe("8.17 two modules register the same command", () => {
  it("both answer, the host warns naming the command and the other module, and stats list it", async () => {
    t = await createTestHost({ modules: [chaosFixture("echo-a"), chaosFixture("echo-b")] });
    t.chat("!dup");
    await t.waitForMessage("echo-a answers", { timeoutMs: 10_000 });
    await t.waitForMessage("echo-b answers", { timeoutMs: 10_000 });
    const warnings = t.logs.items
      .filter((r) => r.level === "warn")
      .map((r) => `${String(r.fields.module)}: ${r.message}`);
    expect(warnings).toEqual(
      expect.arrayContaining([expect.stringMatching(/^echo-b: .*dup.*echo-a|^echo-a: .*dup.*echo-b/)]),
    );
    expect(t.host.registry.info("echo-a").sharedCommands).toEqual([expect.stringContaining("dup")]);
    expect(t.host.registry.info("echo-b").sharedCommands).toEqual([expect.stringContaining("dup")]);
  });
});
