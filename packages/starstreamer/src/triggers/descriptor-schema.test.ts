import { describe, expect, it } from "vitest";
import { parseTriggerDescriptors, triggerDescriptorSchema } from "./descriptor-schema.ts";
import { command, cooldown, keyword, regex, userLevel } from "./descriptors.ts";

describe("the trigger contract", () => {
  it("accepts exactly what the builders build", () => {
    const built = [
      command("!Give", { aliases: ["PAY"], args: ["to:user", "amount:int", "why?:rest"], prefix: "?" }),
      regex(/^(?<n>\d+)$/giu),
      keyword([" Hello ", "GM"], { wholeWord: false }),
      userLevel("vip"),
      cooldown({ global: "5s", user: 250, notify: true }),
      { kind: "predicate" as const, index: 0 },
    ];
    expect(parseTriggerDescriptors(built, "test")).toEqual(built);
  });

  it.each([
    [
      "an upper-case command name",
      { kind: "command", names: ["Give"], prefix: null, args: [] },
      "lower-case",
    ],
    ["an upper-case pinned prefix", { kind: "command", names: ["x"], prefix: "A", args: [] }, "prefix"],
    [
      "an optional argument before a required one",
      {
        kind: "command",
        names: ["x"],
        prefix: null,
        args: [
          { name: "a", type: "int", optional: true },
          { name: "b", type: "int", optional: false },
        ],
      },
      "put optional arguments last",
    ],
    ["a stateful regex flag", { kind: "regex", source: "a", flags: "g" }, "flags"],
    ["an untrimmed keyword", { kind: "keyword", words: [" hi"], wholeWord: true }, "trimmed and lower-case"],
    [
      "a cooldown with no window",
      { kind: "cooldown", globalMs: null, userMs: null, notify: false },
      "global and/or",
    ],
    ["an unknown field", { kind: "userLevel", min: "vip", extra: 1 }, "extra"],
  ])("refuses %s, the normal form the host relies on", (_what, descriptor, part) => {
    const parsed = triggerDescriptorSchema.safeParse(descriptor);
    expect(parsed.success).toBe(false);
    expect(() => parseTriggerDescriptors([descriptor], "module:handler")).toThrow(
      expect.objectContaining({ code: "SS_TRIGGER_INVALID", message: expect.stringContaining(part) }),
    );
  });

  it("refuses something that is not a list", () => {
    expect(() => parseTriggerDescriptors({ kind: "regex" }, "module:handler")).toThrow(
      expect.objectContaining({
        code: "SS_TRIGGER_INVALID",
        message: "module:handler: triggers must be an array",
      }),
    );
  });
});
