import { createTestHost, type TestHost } from "@starstreamer/testing";
import { afterEach, describe, expect, it } from "vitest";
import { fixture } from "../paths.ts";

let t: TestHost | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe("ctx.commands.list()", () => {
  it("lists the commands of every enabled module, with aliases, prefix, user level and description", async () => {
    t = await createTestHost({ modules: [fixture("helpdesk"), fixture("gatekeeper")] });
    const listed = t.host.registry.commands();
    expect(listed.find((c) => c.command === "?reset")).toEqual({
      module: "helpdesk",
      command: "?reset",
      aliases: ["?wipe"],
      userLevel: "moderator",
      description: null,
    });
    expect(listed.find((c) => c.command === "!commands")?.description).toBe("lists commands");
    t.chat("!commands");
    const reply = await t.waitForMessage(/!commands@helpdesk/);
    expect(reply.text).toContain("!give@gatekeeper");
    expect(reply.text).toContain("?reset(?wipe)@helpdesk");
  });

  it("leaves out a disabled module's commands", async () => {
    t = await createTestHost({ modules: [fixture("helpdesk"), fixture("gatekeeper")] });
    await t.host.registry.disable("gatekeeper");
    t.chat("!commands");
    const reply = await t.waitForMessage(/!commands@helpdesk/);
    expect(reply.text).not.toContain("gatekeeper");
  });
});
