import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestHost, type TestHost } from "./test-host.ts";

// A wallet whose !buy checks the balance, awaits (as a service or database call would), then pays:
// the check-then-act race that `serial` exists for.
const wallet = (serial: string) => `import { command, defineModule, on } from "starstreamer";

const balances = new Map<string, number>();
const pause = () => new Promise<void>((resolve) => setTimeout(resolve, 20));

export default defineModule({
  name: "wallet",
  version: "1.0.0",
  registerActions() {
    on("twitch.chat.message", command("!buy"), async function buy(event, { twitch }) {
      const login = event.data.user.login;
      const balance = balances.get(login) ?? 10;
      if (balance < 10) {
        await twitch.sendMessage(\`\${login} cannot pay\`);
        return;
      }
      await pause();
      balances.set(login, balance - 10);
      await twitch.sendMessage(\`\${login} paid, \${balance - 10} left\`);
    }${serial});
  },
});
`;

// A handler that runs until another one lets it go.
const GATE = `import { command, defineModule, on } from "starstreamer";

let release = () => {};

export default defineModule({
  name: "gate",
  version: "1.0.0",
  registerActions() {
    on("twitch.chat.message", command("!hold"), async function hold(_event, { twitch }) {
      const released = new Promise<void>((resolve) => (release = resolve));
      await twitch.sendMessage("holding");
      await released;
      await twitch.sendMessage("held run ended");
    });
    on("twitch.chat.message", command("!release"), async function letGo(_event, { twitch }) {
      await twitch.sendMessage("released");
      release();
    });
  },
});
`;

let dir: string;
let t: TestHost | undefined;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "starstreamer-testkit-"));
});
afterEach(async () => {
  await t?.close();
  t = undefined;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function walletModule(variant: string, serial: string): string {
  const folder = join(dir, variant, "wallet");
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, "module.ts"), wallet(serial));
  return folder;
}

describe("the test host", () => {
  it('with serial: "user", two quick !buy of one viewer pay once; another viewer is not held up', async () => {
    t = await createTestHost({ modules: [walletModule("serial", ', { serial: "user" }')] });
    t.chat("!buy", { login: "ada" });
    t.chat("!buy", { login: "ada" });
    t.chat("!buy", { login: "bob" });
    await t.waitForMessage("ada cannot pay");
    await t.waitForMessage("bob paid, 0 left");
    expect(t.twitch.sent.items.map((m) => m.text).filter((text) => text.startsWith("ada"))).toEqual([
      "ada paid, 0 left",
      "ada cannot pay",
    ]);
  });

  it("waitForMessage, on time-out, lists what the bot did say", async () => {
    t = await createTestHost({ modules: [walletModule("listing", "")] });
    t.chat("!buy", { login: "ada" });
    await t.waitForMessage("ada paid, 0 left");
    await expect(t.waitForMessage("ada bought a hat", { timeoutMs: 200 })).rejects.toThrow(
      'timed out after 200 ms waiting for a chat message matching ada bought a hat; the bot said 1 message:\n  "ada paid, 0 left"',
    );
    await expect(t.waitForMessage("nothing", { timeoutMs: 200, since: 1 })).rejects.toThrow(
      /the bot said nothing$/,
    );
    // A sentinel: its reply comes after anything the first run could still have said.
    t.chat("!buy", { login: "bob" });
    await t.waitForMessage("bob paid, 0 left");
    expect(t.twitch.sent.items.map((m) => m.text)).toEqual(["ada paid, 0 left", "bob paid, 0 left"]);
  });

  it("waitForIdle resolves once every handler has finished", async () => {
    t = await createTestHost({ modules: [walletModule("idle", ', { serial: "module" }')] });
    for (const login of ["ada", "bob", "cy"]) t.chat("!buy", { login });
    await t.waitForIdle();
    // Three serial runs of 20 ms each, all finished: nothing left to say.
    expect(t.twitch.sent.items.map((m) => m.text).sort()).toEqual([
      "ada paid, 0 left",
      "bob paid, 0 left",
      "cy paid, 0 left",
    ]);
    for (let i = 0; i < 50; i++) t.chat("!buy", { login: `v${i}` });
    await t.waitForIdle("wallet", 20_000);
    expect(t.twitch.sent.items).toHaveLength(53);
  });

  it("waitForIdle names a module whose handler is still running, and resolves once it ends", async () => {
    const folder = join(dir, "gate", "gate");
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, "module.ts"), GATE);
    t = await createTestHost({ modules: [folder] });
    t.chat("!hold");
    await t.waitForMessage("holding");
    // Held until !release: busy by construction, whatever the machine's speed.
    await expect(t.waitForIdle("gate", 100)).rejects.toThrow("still busy after 100 ms: gate");
    t.chat("!release");
    await t.waitForIdle("gate", 20_000);
    expect(t.twitch.sent.items.map((m) => m.text)).toEqual(["holding", "released", "held run ended"]);
  });
});
