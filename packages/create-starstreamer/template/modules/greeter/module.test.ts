import { fileURLToPath } from "node:url";
import { createTestHost, type TestHost } from "@starstreamer/testing";
import { afterEach, describe, expect, it } from "vitest";

const moduleDir = fileURLToPath(new URL(".", import.meta.url));

let t: TestHost | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe("greeter", () => {
  it("answers !greet with the author's display name", async () => {
    t = await createTestHost({ modules: [moduleDir] });
    expect(t.host.registry.info("greeter")).toMatchObject({ state: "enabled", version: "1.0.0" });
    t.chat("!greet", { login: "ada" });
    await t.waitForMessage("Hello Ada! 👋");
  });

  it("welcomes a new follower", async () => {
    t = await createTestHost({ modules: [moduleDir] });
    t.emit("twitch.follow", { user: { id: "42", login: "grace", displayName: "Grace" } });
    await t.waitForMessage("Welcome Grace! Thanks for following!");
  });

  it("stays quiet on chat that is not its command", async () => {
    t = await createTestHost({ modules: [moduleDir] });
    t.chat("greetings everyone");
    t.chat("!greeting");
    t.chat("!greet", { login: "bo" });
    await t.waitForMessage("Hello Bo! 👋");
    expect(t.twitch.sent.items.map((m) => m.text)).toEqual(["Hello Bo! 👋"]);
  });
});
