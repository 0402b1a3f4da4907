import type { ChatUser, StarEvent, TriggerDescriptor, UserLevel } from "starstreamer";
import { compileTriggers, type TriggerResult } from "./compile.ts";
import { CooldownStore } from "./cooldown-store.ts";
import { createEventView } from "./event-view.ts";

// Builders shared by the compileTriggers test files.

/** A chat author of the given level. */
export function chatUser(level: UserLevel = "viewer", id = "1", login = "viewer1"): ChatUser {
  return {
    id,
    login,
    displayName: login,
    badges: {},
    isBroadcaster: level === "broadcaster",
    isModerator: level === "moderator",
    isVip: level === "vip",
    isSubscriber: level === "subscriber",
  };
}

/** A chat message event. */
export function chat(text: string, user: ChatUser = chatUser()): StarEvent {
  return {
    id: `e-${text}`,
    type: "twitch.chat.message",
    source: "test",
    timestamp: 0,
    data: { messageId: "m1", channel: "chan", text, user, isAction: false, firstMessage: false },
  };
}

/** A follow event (has an author, no text). */
export const follow: StarEvent = {
  id: "f1",
  type: "twitch.follow",
  source: "test",
  timestamp: 0,
  data: { user: { id: "9", login: "fan", displayName: "Fan" }, followedAt: "2024-01-01T00:00:00Z" },
};

/** Compiles triggers with test defaults. */
export function compile(
  triggers: TriggerDescriptor[],
  options: { prefix?: string; key?: string; cooldowns?: CooldownStore } = {},
) {
  return compileTriggers(triggers, {
    prefix: options.prefix ?? "!",
    key: options.key ?? "test:handler",
    cooldowns: options.cooldowns ?? new CooldownStore(),
  });
}

/** Evaluates an event with a fresh view. */
export function run(triggers: ReturnType<typeof compile>, event: StarEvent, now = 0): TriggerResult {
  return triggers.evaluate(event, createEventView(event), now);
}

/** The match of a passing result; throws on a rejection. */
export function passed(result: TriggerResult) {
  if (!result.pass) throw new Error(`expected a pass, got ${JSON.stringify(result)}`);
  return result.match;
}
