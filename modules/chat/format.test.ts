import { describe, expect, it } from "vitest";
import { commandLabel, splitList } from "./format.ts";

describe("splitList", () => {
  it("keeps a short list in one message", () => {
    expect(splitList("Commands", ["!a", "!b", "!c"])).toEqual(["Commands: !a, !b, !c"]);
    expect(splitList("Commands", [])).toEqual(["Commands: "]);
  });

  it("splits between items, numbering the messages, each within the limit", () => {
    const items = Array.from({ length: 30 }, (_, i) => `!command-${i}`);
    const messages = splitList("Commands", items, 120);
    expect(messages.length).toBeGreaterThan(1);
    for (const message of messages) expect(message.length).toBeLessThanOrEqual(120);
    expect(messages[0]).toMatch(new RegExp(`^Commands \\(1/${messages.length}\\): !command-0, !command-1`));
    const back = messages.flatMap((m) => m.replace(/^Commands \(\d+\/\d+\): /, "").split(", "));
    expect(back).toEqual(items);
  });

  it("cuts an item longer than a whole message", () => {
    const [only] = splitList("Commands", [`!${"x".repeat(600)}`]);
    expect(only!.length).toBeLessThanOrEqual(500);
    expect(only!.endsWith("…")).toBe(true);
  });
});

describe("commandLabel", () => {
  it("names who may use a command when it is not everyone", () => {
    expect(commandLabel({ command: "!hello", userLevel: null })).toBe("!hello");
    expect(commandLabel({ command: "!so", userLevel: "moderator" })).toBe("!so (moderator)");
  });
});
