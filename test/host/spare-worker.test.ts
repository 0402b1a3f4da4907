import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createTestHost, type TestHost, waitUntil } from "@starstreamer/testing";
import { afterEach, describe, expect, it } from "vitest";
import { fixture, moduleDir } from "../paths.ts";

let t: TestHost | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const greetings = readFileSync(join(moduleDir("greeter"), "actions", "greetings.ts"), "utf8");
const heapcap = readFileSync(join(fixture("heapcap"), "module.ts"), "utf8");
const spareReady = () => waitUntil(() => t?.host.registry.spareReady === true, "a spare worker", 15_000);

describe("the spare worker (dev and start)", () => {
  it("is taken by a reload of any module, is replaced after each use, and becomes that module", async () => {
    t = await createTestHost({
      modules: [moduleDir("greeter"), fixture("counter"), fixture("heapcap")],
      spare: true,
    });
    await spareReady();
    for (const word of ["Howdy", "Hiya"]) {
      t.writeModuleFile("greeter", "actions/greetings.ts", greetings.replace("Hello ${", `${word} \${`));
      expect((await t.host.registry.reload("greeter")).ok).toBe(true);
      t.chat("!greet", { login: "ada" });
      await t.waitForMessage(`${word} Ada! 👋`);
      await spareReady();
    }
    // Another module takes the next spare: its snapshot state crosses into it.
    t.chat("!count");
    await t.waitForMessage("count 1 (v1)");
    expect((await t.host.registry.reload("counter")).ok).toBe(true);
    t.chat("!count");
    await t.waitForMessage("count 2 (v1)");
    await spareReady();
    // A module bound late logs and reports under its own name.
    t.writeModuleFile("heapcap", "module.ts", heapcap.replace("REVISION = 1", "REVISION = 2"));
    expect((await t.host.registry.reload("heapcap")).ok).toBe(true);
    const log = await t.logs.waitFor((r) => r.message === "heapcap revision 2 starting", 5000, "the log");
    expect(log.fields).toMatchObject({ module: "heapcap" });
    t.chat("!heap");
    await t.waitForMessage("heap 128 rev 2");
    // Its handler reports reach the module's own figures.
    await waitUntil(() => t?.host.registry.info("heapcap").eventsHandled === 1, "the run counted");
  });

  it("is not taken by a module with its own heap cap, which gets a worker started with it", async () => {
    t = await createTestHost({
      modules: [fixture("heapcap")],
      settings: { heapcap: { maxHeapMb: 48 } },
      spare: true,
    });
    t.chat("!heap");
    await t.waitForMessage("heap 48 rev 1");
    await spareReady();
    t.writeModuleFile("heapcap", "module.ts", heapcap.replace("REVISION = 1", "REVISION = 2"));
    expect((await t.host.registry.reload("heapcap")).ok).toBe(true);
    t.chat("!heap");
    await t.waitForMessage("heap 48 rev 2");
    expect(t.host.registry.spareReady).toBe(true);
  });

  it("takes over a crashed module: the restart runs in the spare and serves again", async () => {
    t = await createTestHost({
      modules: [fixture("crashy"), moduleDir("greeter")],
      limits: { crash: { backoffMs: 50 } },
      spare: true,
    });
    await spareReady();
    t.chat("!exit");
    await t.logs.waitFor((r) => r.message.startsWith("restarted after a crash"), 15_000, "the restart");
    t.chat("!alive");
    await t.waitForMessage("crashy is alive", { timeoutMs: 10_000 });
    expect(t.host.registry.info("crashy")).toMatchObject({ state: "enabled", restarts: 1 });
    await spareReady();
  });
});
