import { describe, expect, it } from "vitest";
import { SdkErrorCodes, StarStreamerError } from "../errors.ts";
import { simulatedEventData } from "./defaults.ts";
import type { BuiltInEventMap } from "./event-map.ts";
import { builtInEventSchemas } from "./event-map.ts";
import { chatUserSchema, twitchUserSchema } from "./schemas.ts";
import { parseEventData } from "./validate.ts";

const builtInTypes = Object.keys(builtInEventSchemas) as (keyof BuiltInEventMap)[];

/** Runs parseEventData and returns the StarStreamerError it throws. */
function rejection(type: string, data: unknown): StarStreamerError {
  try {
    parseEventData(type, data);
  } catch (error) {
    expect(error).toBeInstanceOf(StarStreamerError);
    return error as StarStreamerError;
  }
  throw new Error(`expected ${type} to reject ${JSON.stringify(data)}`);
}

/** Default data for `type` with the field at `path` replaced (or deleted when value is undefined). */
function withField(type: keyof BuiltInEventMap, path: (string | number)[], value: unknown): unknown {
  const data = structuredClone(simulatedEventData(type)) as Record<string | number, unknown>;
  let target = data;
  for (const key of path.slice(0, -1)) target = target[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (value === undefined) delete target[last];
  else target[last] = value;
  return data;
}

describe("built-in schemas", () => {
  it.each(builtInTypes)("%s: default simulated data parses", (type) => {
    const data = simulatedEventData(type);
    expect(builtInEventSchemas[type].safeParse(data).success).toBe(true);
  });

  const badPayloads: [keyof BuiltInEventMap, (string | number)[], unknown, RegExp][] = [
    ["twitch.chat.message", ["channel"], "#streamer", /data\.channel: expected a lower-case Twitch login/],
    [
      "twitch.chat.message",
      ["user", "isModerator"],
      "yes",
      /data\.user\.isModerator: expected a boolean, got string/,
    ],
    ["twitch.chat.message", ["bits"], -5, /data\.bits: expected a number >= 0, got -5/],
    [
      "twitch.chat.message",
      ["replyTo"],
      { messageId: "m", text: "hi" },
      /data\.replyTo\.user: missing: expected an object/,
    ],
    ["twitch.follow", ["followedAt"], "yesterday", /data\.followedAt: expected an ISO 8601 date-time/],
    [
      "twitch.subscription",
      ["tier"],
      "4000",
      /data\.tier: expected one of "1000", "2000", "3000", got "4000"/,
    ],
    ["twitch.subscription", ["months"], 0, /data\.months: expected a number >= 1, got 0/],
    ["twitch.subscription.gift", ["total"], 1.5, /data\.total: expected an integer, got 1\.5/],
    ["twitch.subscription.gift", ["user"], null, /data\.isAnonymous: expected true when user is null/],
    ["twitch.raid", ["viewers"], "42", /^twitch\.raid: data\.viewers: expected a number, got string$/],
    ["twitch.raid", ["from", "login"], "", /data\.from\.login: expected a lower-case Twitch login/],
    ["twitch.cheer", ["bits"], 0, /data\.bits: expected a number >= 1, got 0/],
    ["twitch.hype_train.begin", ["level"], 0, /data\.level: expected a number >= 1/],
    [
      "twitch.hype_train.progress",
      ["topContributions", 0, "type"],
      "gift",
      /data\.topContributions\[0\]\.type: expected one of "bits", "subscription", "other"/,
    ],
    [
      "twitch.hype_train.end",
      ["cooldownEndsAt"],
      undefined,
      /data\.cooldownEndsAt: missing: expected a string/,
    ],
    [
      "twitch.redemption",
      ["status"],
      "done",
      /data\.status: expected one of "unfulfilled", "fulfilled", "canceled", "unknown"/,
    ],
    ["twitch.redemption", ["reward", "cost"], -1, /data\.reward\.cost: expected a number >= 0/],
    ["twitch.stream.online", ["type"], "offline", /data\.type: expected one of "live"/],
    [
      "twitch.stream.offline",
      ["broadcaster", "id"],
      "",
      /data\.broadcaster\.id: expected a non-empty string/,
    ],
    ["obs.scene.changed", ["sceneName"], "", /data\.sceneName: expected a non-empty string/],
    ["obs.stream.started", ["outputState"], 3, /data\.outputState: expected a string, got number/],
    ["obs.stream.stopped", ["outputState"], undefined, /data\.outputState: missing: expected a string/],
    [
      "system.handler.error",
      ["error", "message"],
      undefined,
      /data\.error\.message: missing: expected a string/,
    ],
    ["system.module.state", ["state"], "crashed", /data\.state: expected one of "discovered"/],
    ["twitch.raid", ["viewer"], 5, /^twitch\.raid: data: unknown field "viewer"$/],
  ];

  it.each(badPayloads)("%s: a bad %j is rejected naming the field", (type, path, value, message) => {
    const error = rejection(type, withField(type, path, value));
    expect(error.code).toBe(SdkErrorCodes.EVENT_INVALID);
    expect(error.message).toMatch(message);
    expect(error.message.startsWith(`${type}: `)).toBe(true);
    const issues = error.data.issues as { path: unknown[]; message: string }[];
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0]).toEqual({ path: expect.any(Array), message: expect.any(String) });
  });

  it("every failing field is listed, each with its path, in one message", () => {
    const error = rejection("twitch.raid", {
      from: { id: "", login: "Raider", displayName: "R" },
      viewers: -1,
    });
    expect(error.message).toContain("data.from.id: expected a non-empty string");
    expect(error.message).toContain("data.from.login:");
    expect(error.message).toContain("data.viewers: expected a number >= 0, got -1");
    expect((error.data.issues as { path: unknown[] }[]).map((issue) => issue.path)).toEqual([
      ["from", "id"],
      ["from", "login"],
      ["viewers"],
    ]);
  });

  it("a non-object payload is reported against data itself", () => {
    expect(rejection("twitch.follow", "nope").message).toBe(
      "twitch.follow: data: expected an object, got string",
    );
  });

  it("chat message flags default to false and an anonymous gift has a null user", () => {
    const chat = simulatedEventData("twitch.chat.message");
    const { isAction, firstMessage, ...rest } = chat;
    expect(parseEventData("twitch.chat.message", rest)).toMatchObject({
      isAction: false,
      firstMessage: false,
    });
    expect(simulatedEventData("twitch.subscription.gift", { user: null, isAnonymous: true }).user).toBeNull();
  });

  it("accepts Twitch's nanosecond timestamps and numeric offsets", () => {
    for (const followedAt of ["2024-05-01T20:00:00.123456789Z", "2024-05-01T22:00:00+02:00"]) {
      expect(
        parseEventData("twitch.follow", { user: { id: "1", login: "a", displayName: "A" }, followedAt }),
      ).toBeTruthy();
    }
  });

  it("user schemas accept exactly the ChatUser and TwitchUser shapes", () => {
    const user = { id: "7", login: "alice", displayName: "Alice" };
    expect(twitchUserSchema.parse(user)).toEqual(user);
    const chatUser = {
      ...user,
      color: "#1E90FF",
      badges: { subscriber: "12" },
      isBroadcaster: false,
      isModerator: false,
      isVip: false,
      isSubscriber: true,
    };
    expect(chatUserSchema.parse(chatUser)).toEqual(chatUser);
    expect(chatUserSchema.safeParse({ ...chatUser, color: "blue" }).success).toBe(false);
  });
});
