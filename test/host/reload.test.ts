import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createTestHost, type TestHost } from "@starstreamer/testing";
import { afterEach, describe, expect, it } from "vitest";
import { fixture, moduleDir } from "../paths.ts";

let t: TestHost | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const greetings = readFileSync(join(moduleDir("greeter"), "actions", "greetings.ts"), "utf8");

describe("reload with rollback", () => {
  it("serves the new reply after the source changes", async () => {
    t = await createTestHost({ modules: [moduleDir("greeter")] });
    t.writeModuleFile("greeter", "actions/greetings.ts", greetings.replace("Hello ${", "Howdy ${"));
    const result = await t.host.registry.reload("greeter");
    expect(result).toMatchObject({ ok: true, version: "1.0.0", error: null });
    t.chat("!greet", { login: "ada" });
    await t.waitForMessage("Howdy Ada! 👋");
    expect(t.host.registry.info("greeter").reloads).toMatchObject({ successful: 1, failed: 0 });
    expect(await t.host.registry.reloadStats("greeter")).toMatchObject({ successful: 1, failed: 0 });
  });

  it("keeps the old version serving on a syntax error, and says file:line:column", async () => {
    t = await createTestHost({ modules: [moduleDir("greeter")] });
    t.writeModuleFile("greeter", "actions/greetings.ts", `${greetings}\non("twitch.follow", async () => {\n`);
    const result = await t.host.registry.reload("greeter");
    expect(result.ok).toBe(false);
    expect(result.error?.code).toBe("SS_MODULE_BUILD_FAILED");
    expect(result.error?.message).toMatch(/actions\/greetings\.ts:\d+:\d+: /);
    expect(result.error?.data.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: expect.stringContaining("greetings.ts"), line: expect.any(Number) }),
      ]),
    );
    t.chat("!greet", { login: "ada" });
    await t.waitForMessage("Hello Ada! 👋");
    expect(t.host.registry.info("greeter")).toMatchObject({
      state: "enabled",
      reloads: { successful: 0, failed: 1 },
    });
    expect(await t.host.registry.reloadStats()).toMatchObject({
      successful: 0,
      failed: 1,
      lastError: expect.stringContaining("greetings.ts"),
    });
  });

  it("keeps the old version serving when the new initialize throws", async () => {
    t = await createTestHost({ modules: [fixture("counter")] });
    const source = readFileSync(join(fixture("counter"), "module.ts"), "utf8");
    t.writeModuleFile(
      "counter",
      "module.ts",
      source.replace(
        "count = 0;",
        'count = 0;\n  override async initialize() { throw new Error("cannot start"); }',
      ),
    );
    const result = await t.host.registry.reload("counter");
    expect(result.ok).toBe(false);
    expect(result.error?.message).toContain("cannot start");
    t.chat("!count");
    await t.waitForMessage("count 1 (v1)");
  });

  it("keeps the old version serving when the new version needs a missing dependency", async () => {
    t = await createTestHost({ modules: [moduleDir("greeter")] });
    const source = readFileSync(join(moduleDir("greeter"), "module.ts"), "utf8");
    t.writeModuleFile(
      "greeter",
      "module.ts",
      source.replace(
        'override readonly author = "StarStreamer";',
        'override readonly author = "StarStreamer";\n  override readonly dependencies = ["economy"];',
      ),
    );
    const result = await t.host.registry.reload("greeter");
    expect(result.ok).toBe(false);
    expect(result.error?.code).toBe("SS_DEPENDENCY_MISSING");
    expect(result.error?.message).toContain("economy");
    t.chat("!greet", { login: "ada" });
    await t.waitForMessage("Hello Ada! 👋");
  });

  it("carries in-memory state across a reload with snapshot/restore", async () => {
    t = await createTestHost({ modules: [fixture("counter")] });
    t.chat("!count");
    t.chat("!count");
    await t.waitForMessage("count 2 (v1)");
    const source = readFileSync(join(fixture("counter"), "module.ts"), "utf8");
    t.writeModuleFile("counter", "module.ts", source.replace("(v1)", "(v2)"));
    expect((await t.host.registry.reload("counter")).ok).toBe(true);
    t.chat("!count");
    await t.waitForMessage("count 3 (v2)");
  });

  it("handles each of 1,000 events exactly once across 20 reloads", async () => {
    t = await createTestHost({ modules: [fixture("counter")] });
    const total = 1000;
    const reloads: Array<Promise<{ ok: boolean }>> = [];
    for (let n = 0; n < total; n++) {
      t.emit("custom.counter.tick", { n });
      if (n % 50 === 25) reloads.push(t.host.registry.reload("counter"));
      if (n % 10 === 0) await new Promise((r) => setImmediate(r));
    }
    const results = await Promise.all(reloads);
    expect(results.filter((r) => r.ok)).toHaveLength(20);
    // A sentinel after the last tick: a duplicate delivered late would come before it in the queue.
    t.emit("custom.counter.tick", { n: total });
    await t.waitForMessage(`tick ${total}`, { timeoutMs: 20_000 });
    const ticks = t.twitch.sent.items.map((m) => Number(m.text.slice(5)));
    expect(ticks).toHaveLength(total + 1);
    expect(new Set(ticks).size).toBe(total + 1);
    expect([...ticks].sort((a, b) => a - b)).toEqual(Array.from({ length: total + 1 }, (_, i) => i));
  });
});

describe("reload when the handler table changes", () => {
  it("events queued during the swap go to the handler of the same name in the new version", async () => {
    t = await createTestHost({ modules: [fixture("reorder")] });
    const source = readFileSync(join(fixture("reorder"), "module.ts"), "utf8");
    t.writeModuleFile(
      "reorder",
      "module.ts",
      source
        .replace('const VERSION = "v1";', 'const VERSION = "v2";')
        .replace(
          "registerActions() {",
          'registerActions() {\n    on("twitch.chat.message", command("!new"), async function added(_e, { twitch }) {\n      await twitch.sendMessage("new");\n    });',
        ),
    );
    const reloading = t.host.registry.reload("reorder");
    for (let i = 0; i < 20; i++) {
      t.chat("!b");
      await new Promise((r) => setTimeout(r, 25));
    }
    expect((await reloading).ok).toBe(true);
    await t.waitForMessage((text) => t!.twitch.sent.items.length >= 20 && text.startsWith("b"), {
      timeoutMs: 5000,
    });
    const replies = t.twitch.sent.items.map((m) => m.text);
    expect(replies).toHaveLength(20);
    expect(new Set(replies.map((r) => r.split(" ")[0]))).toEqual(new Set(["b"]));
    expect(replies).toContain("b v2");
  });
});
