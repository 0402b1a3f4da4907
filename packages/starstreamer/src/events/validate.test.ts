import { describe, expect, it } from "vitest";
import { SdkErrorCodes, StarStreamerError } from "../errors.ts";
import { simulatedEventData } from "./defaults.ts";
import { builtInEventSchemas } from "./event-map.ts";
import { createEvent, isBuiltInEventType, isCustomEventType, parseEventData } from "./validate.ts";

function thrown(run: () => unknown): StarStreamerError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(StarStreamerError);
    return error as StarStreamerError;
  }
  throw new Error("expected a StarStreamerError");
}

describe("isBuiltInEventType / isCustomEventType", () => {
  it("recognises every built-in type and nothing inherited from Object", () => {
    for (const type of Object.keys(builtInEventSchemas)) expect(isBuiltInEventType(type)).toBe(true);
    expect(isBuiltInEventType("toString")).toBe(false);
    expect(isBuiltInEventType("twitch.chat")).toBe(false);
  });

  it.each(["custom.quiz.started", "custom.quiz.round.ended", "custom.my-mod.the_thing2"])(
    "accepts %s",
    (type) => {
      expect(isCustomEventType(type)).toBe(true);
    },
  );

  it.each([
    "custom.quiz",
    "custom.",
    "custom.Quiz.started",
    "custom.quiz..started",
    "quiz.started",
    "custom.quiz.started.",
  ])("rejects %s", (type) => {
    expect(isCustomEventType(type)).toBe(false);
  });
});

describe("parseEventData for custom events", () => {
  it("accepts a plain object of nested JSON values and returns it", () => {
    const data = {
      question: "2+2?",
      answers: [3, 4, { text: "five", ok: false }],
      meta: { round: 1, by: null },
      skipped: undefined,
    };
    expect(parseEventData("custom.quiz.started", data)).toBe(data);
  });

  it("accepts a shared (non-circular) object used twice", () => {
    const shared = { a: 1 };
    expect(parseEventData("custom.quiz.started", { x: shared, y: [shared] })).toBeTruthy();
  });

  it("rejects a function value, naming the field", () => {
    const error = thrown(() => parseEventData("custom.quiz.started", { question: "q", onAnswer: () => 1 }));
    expect(error.code).toBe(SdkErrorCodes.EVENT_INVALID);
    expect(error.message).toBe("custom.quiz.started: data.onAnswer: expected a JSON value, got function");
    expect(error.data.issues).toEqual([
      { path: ["onAnswer"], message: "expected a JSON value, got function" },
    ]);
  });

  it("rejects a Date as a class instance", () => {
    const error = thrown(() => parseEventData("custom.quiz.started", { at: { when: new Date() } }));
    expect(error.message).toBe(
      "custom.quiz.started: data.at.when: expected a JSON value, got a Date (class instance)",
    );
  });

  it("rejects a cycle", () => {
    const data: Record<string, unknown> = { list: [] };
    (data.list as unknown[]).push(data);
    const error = thrown(() => parseEventData("custom.quiz.started", data));
    expect(error.message).toBe("custom.quiz.started: data.list[0]: circular reference");
  });

  it.each([
    ["a string", "hello", "string"],
    ["null", null, "null"],
    ["an array", [1, 2], "array"],
    ["a number", 3, "number"],
  ])("rejects %s as the whole data", (_label, data, kind) => {
    const error = thrown(() => parseEventData("custom.quiz.started", data));
    expect(error.message).toBe(
      `custom.quiz.started: data: expected a plain object of JSON values, got ${kind}`,
    );
  });

  it("rejects non-finite numbers, bigints and undefined inside arrays", () => {
    const error = thrown(() =>
      parseEventData("custom.quiz.started", { a: Number.NaN, b: 1n, c: [undefined] }),
    );
    expect(error.message).toContain("data.a: expected a finite number, got NaN");
    expect(error.message).toContain("data.b: expected a JSON value, got bigint");
    expect(error.message).toContain("data.c[0]: expected a JSON value, got undefined");
  });
});

describe("parseEventData for unknown types", () => {
  it("names the type and lists every accepted type", () => {
    const error = thrown(() => parseEventData("twitch.chat", {}));
    expect(error.code).toBe(SdkErrorCodes.EVENT_UNKNOWN_TYPE);
    expect(error.message).toContain('Unknown event type "twitch.chat"');
    for (const type of Object.keys(builtInEventSchemas)) expect(error.message).toContain(type);
    expect(error.message).toContain("custom.<module>.<name>");
    expect(error.data.accepted).toEqual([...Object.keys(builtInEventSchemas), "custom.<module>.<name>"]);
  });

  it("explains the custom.<module>.<name> form for a malformed custom type", () => {
    expect(thrown(() => parseEventData("custom.quiz", {})).message).toContain("needs a module and a name");
  });
});

describe("createEvent", () => {
  it("validates data and stamps a fresh id, the time and the source", () => {
    const before = Date.now();
    const event = createEvent("twitch.raid", simulatedEventData("twitch.raid"), "simulate");
    expect(event.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(event.timestamp).toBeGreaterThanOrEqual(before);
    expect(event).toMatchObject({ type: "twitch.raid", source: "simulate", data: { viewers: 42 } });
    expect(Object.isFrozen(event)).toBe(false);
    expect(createEvent("twitch.raid", event.data, "simulate").id).not.toBe(event.id);
  });

  it("uses the id and timestamp it is given", () => {
    const event = createEvent("custom.quiz.started", { question: "2+2?" }, "module:quiz", {
      id: "e1",
      timestamp: 5,
    });
    expect(event).toEqual({
      id: "e1",
      type: "custom.quiz.started",
      source: "module:quiz",
      timestamp: 5,
      data: { question: "2+2?" },
    });
  });

  it("fills schema defaults into the event's data", () => {
    const { isAction: _a, firstMessage: _f, ...data } = simulatedEventData("twitch.chat.message");
    expect(createEvent("twitch.chat.message", data, "twitch").data.firstMessage).toBe(false);
  });

  it("throws EVENT_INVALID for bad data and for an empty source", () => {
    expect(thrown(() => createEvent("twitch.raid", { viewers: 1 }, "twitch")).code).toBe(
      SdkErrorCodes.EVENT_INVALID,
    );
    expect(thrown(() => createEvent("custom.quiz.started", {}, "")).message).toContain(
      "source must be a non-empty string",
    );
  });
});
