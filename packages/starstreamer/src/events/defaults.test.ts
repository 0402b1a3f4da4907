import { describe, expect, it } from "vitest";
import { SdkErrorCodes, StarStreamerError } from "../errors.ts";
import { localChatUser, SIMULATED_BROADCASTER, SIMULATED_VIEWER, simulatedEventData } from "./defaults.ts";
import { USER_LEVELS, userLevelOf } from "./event.ts";
import type { BuiltInEventMap } from "./event-map.ts";
import { builtInEventSchemas } from "./event-map.ts";
import { chatUserSchema } from "./schemas.ts";

function thrown(run: () => unknown): StarStreamerError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(StarStreamerError);
    return error as StarStreamerError;
  }
  throw new Error("expected a StarStreamerError");
}

describe("simulatedEventData", () => {
  it.each(Object.keys(builtInEventSchemas) as (keyof BuiltInEventMap)[])("%s: has valid defaults", (type) => {
    expect(() => simulatedEventData(type)).not.toThrow();
  });

  it("uses the documented defaults", () => {
    const chat = simulatedEventData("twitch.chat.message");
    expect(chat).toMatchObject({
      text: "hello",
      channel: "streamer",
      user: { ...SIMULATED_VIEWER, badges: {} },
    });
    expect(simulatedEventData("twitch.raid")).toEqual({ from: SIMULATED_VIEWER, viewers: 42 });
    expect(simulatedEventData("twitch.cheer").bits).toBe(100);
    expect(simulatedEventData("twitch.subscription").tier).toBe("1000");
    expect(simulatedEventData("twitch.stream.online").broadcaster).toEqual(SIMULATED_BROADCASTER);
    const followedAt = Date.parse(simulatedEventData("twitch.follow").followedAt);
    expect(Math.abs(followedAt - Date.now())).toBeLessThan(60_000);
  });

  it("deep-merges plain objects and replaces arrays and scalars", () => {
    const data = simulatedEventData("twitch.chat.message", {
      text: "!quiz",
      user: { displayName: "Mod", isModerator: true, badges: { moderator: "1" } },
    });
    expect(data.text).toBe("!quiz");
    expect(data.user).toMatchObject({ id: "1000", login: "viewer", displayName: "Mod", isModerator: true });
    expect(data.user.badges).toEqual({ moderator: "1" });

    const contribution = { user: { id: "9", login: "nine", displayName: "Nine" }, type: "other", total: 7 };
    const train = simulatedEventData("twitch.hype_train.begin", {
      topContributions: [contribution],
      level: 3,
    });
    expect(train.topContributions).toEqual([contribution]);
    expect(train.level).toBe(3);
  });

  it("lets null replace an object (an anonymous gift)", () => {
    expect(simulatedEventData("twitch.cheer", { user: null, isAnonymous: true })).toMatchObject({
      user: null,
    });
  });

  it("returns fresh objects on every call", () => {
    const first = simulatedEventData("twitch.raid");
    first.from.login = "changed";
    expect(simulatedEventData("twitch.raid").from.login).toBe("viewer");
    expect(SIMULATED_VIEWER.login).toBe("viewer");
  });

  it("reports a bad override as EVENT_INVALID naming the field", () => {
    const error = thrown(() => simulatedEventData("twitch.raid", { viewers: "many" }));
    expect(error.code).toBe(SdkErrorCodes.EVENT_INVALID);
    expect(error.message).toBe("twitch.raid: data.viewers: expected a number, got string");
  });

  it("reports a misspelt field instead of dropping it", () => {
    expect(thrown(() => simulatedEventData("twitch.raid", { viewer: 5 })).message).toBe(
      'twitch.raid: data: unknown field "viewer"',
    );
  });

  it("keeps a JSON __proto__ key an ordinary field, which is then rejected", () => {
    const overrides = JSON.parse('{"__proto__": {"polluted": true}}');
    expect(thrown(() => simulatedEventData("twitch.raid", overrides)).message).toContain("__proto__");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("rejects overrides that are not an object", () => {
    const error = thrown(() => simulatedEventData("twitch.raid", [1]));
    expect(error.code).toBe(SdkErrorCodes.EVENT_INVALID);
    expect(error.message).toContain("overrides must be a JSON object");
  });

  it("builds custom events from the overrides alone", () => {
    expect(simulatedEventData("custom.quiz.started", { question: "2+2?" })).toEqual({ question: "2+2?" });
    expect(simulatedEventData("custom.quiz.started")).toEqual({});
  });

  it("reports an unknown type as EVENT_UNKNOWN_TYPE, even with bad overrides", () => {
    expect(thrown(() => simulatedEventData("twitch.nope")).code).toBe(SdkErrorCodes.EVENT_UNKNOWN_TYPE);
    expect(thrown(() => simulatedEventData("twitch.nope", "x")).code).toBe(SdkErrorCodes.EVENT_UNKNOWN_TYPE);
  });
});

describe("localChatUser", () => {
  it.each(USER_LEVELS)("a %s maps back to the same level through userLevelOf", (level) => {
    const user = localChatUser("alice", level);
    expect(userLevelOf(user)).toBe(level);
    expect(chatUserSchema.parse(user)).toEqual(user);
  });

  it("gives each level its Twitch badge", () => {
    expect(localChatUser("a", "viewer").badges).toEqual({});
    expect(localChatUser("a", "subscriber").badges).toEqual({ subscriber: "1" });
    expect(localChatUser("a", "vip").badges).toEqual({ vip: "1" });
    expect(localChatUser("a", "moderator").badges).toEqual({ moderator: "1" });
    expect(localChatUser("a", "broadcaster").badges).toEqual({ broadcaster: "1" });
  });

  it("derives a stable digits-only id from the login, whatever the case typed", () => {
    const alice = localChatUser("Alice", "viewer");
    expect(alice.id).toMatch(/^\d+$/);
    expect(localChatUser("alice", "moderator").id).toBe(alice.id);
    expect(localChatUser("bob", "viewer").id).not.toBe(alice.id);
  });

  it("lower-cases the login and keeps the typed name with a capital first letter", () => {
    expect(localChatUser("@xXSniper", "viewer")).toMatchObject({
      login: "xxsniper",
      displayName: "XXSniper",
    });
    expect(localChatUser("bob", "viewer").displayName).toBe("Bob");
  });

  it("rejects a login Twitch would not allow", () => {
    expect(thrown(() => localChatUser("bad name", "viewer")).code).toBe(SdkErrorCodes.EVENT_INVALID);
  });
});
