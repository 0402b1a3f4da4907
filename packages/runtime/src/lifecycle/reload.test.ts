import { describe, expect, it } from "vitest";
import type { CompiledHandler } from "../registry/module-record.ts";
import { mapHandlers } from "./reload.ts";

function handler(id: number, name: string, type = "twitch.chat.message", command = name): CompiledHandler {
  return {
    info: {
      id,
      name,
      type,
      triggers: [{ kind: "command", names: [command], prefix: null, args: [] }],
      deadlineMs: null,
      description: null,
    },
    triggers: {} as CompiledHandler["triggers"],
  };
}

describe("mapHandlers: where queued hits go after a reload", () => {
  it("follows handlers by id across reordering, and drops a removed one", () => {
    const before = [handler(0, "a"), handler(1, "b"), handler(2, "c")];
    const after = [handler(0, "c"), handler(1, "a"), handler(2, "new", "twitch.chat.message", "other")];
    expect(mapHandlers(before, after)).toEqual([1, -1, 0]);
  });

  it("follows a renamed handler whose type and triggers did not change", () => {
    const before = [handler(0, "tick", "custom.x.tick", "t"), handler(1, "other")];
    const after = [handler(0, "other"), handler(1, "tock", "custom.x.tick", "t")];
    expect(mapHandlers(before, after)).toEqual([1, 0]);
  });

  it("does not guess when two handlers of the same shape were renamed at once", () => {
    const before = [handler(0, "a", "custom.x.e", "same"), handler(1, "b", "custom.x.e", "same")];
    const after = [handler(0, "c", "custom.x.e", "same"), handler(1, "d", "custom.x.e", "same")];
    expect(mapHandlers(before, after)).toEqual([-1, -1]);
  });
});
