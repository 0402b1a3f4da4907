import { readdirSync, readFileSync } from "node:fs";
import { createTestHost, type TestHost } from "@starstreamer/testing";
import { afterEach, describe, expect, it } from "vitest";
import { benchModule, moduleDir } from "../paths.ts";

let t: TestHost | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** The nice value of every thread of this process (Linux: field 19 of /proc/self/task/<tid>/stat). */
function threadNiceValues(): number[] {
  return readdirSync("/proc/self/task").map((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
    // The command name is in parentheses and may hold spaces: count fields after its closing one.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[16]);
  });
}

describe("a CPU-heavy module (noisy neighbour)", () => {
  it("drops its own thread to background priority after holding it twice, says so once, and the others keep answering", async () => {
    t = await createTestHost({ modules: [benchModule("burner"), moduleDir("greeter")] });
    const linux = process.platform === "linux";
    if (linux) expect(threadNiceValues()).not.toContain(10);
    t.chat("!burn 30");
    t.chat("!burn 30");
    const warning = await t.logs.waitFor(
      (r) => r.message.includes("runs at background priority"),
      10_000,
      "the background-priority warning",
    );
    expect(warning.fields).toMatchObject({ module: "burner" });
    // Once: a third burn and a sentinel reply later, still one warning.
    t.chat("!burn 30");
    t.chat("!greet", { login: "ada" });
    await t.waitForMessage("Hello Ada! 👋");
    await t.host.registry.whenIdle("burner");
    expect(t.logs.items.filter((r) => r.message.includes("runs at background priority"))).toHaveLength(1);
    if (linux) expect(threadNiceValues().filter((nice) => nice === 10)).toHaveLength(1);
  });
});
