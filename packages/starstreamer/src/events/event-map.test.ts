import { describe, expectTypeOf, it } from "vitest";
import { simulatedEventData } from "./defaults.ts";
import type { ChatUser, StarEvent, TwitchUser } from "./event.ts";
import type {
  ChatMessageData,
  CheerData,
  EventData,
  EventType,
  HypeTrainData,
  SubscriptionGiftData,
  TypedEvent,
} from "./event-map.ts";
import { createEvent, parseEventData } from "./validate.ts";

// Modules declare their events on "starstreamer"; the package re-exports this interface, so
// augmenting its home module is the same declaration.
declare module "./event-map.ts" {
  interface CustomEventMap {
    "custom.events-test.declared": { question: string; round: number };
  }
}

describe("event map types", () => {
  it("types a chat message's data down to the user's display name", () => {
    expectTypeOf<TypedEvent<"twitch.chat.message">["data"]["user"]["displayName"]>().toEqualTypeOf<string>();
    expectTypeOf<ChatMessageData["user"]>().toEqualTypeOf<ChatUser>();
    expectTypeOf<ChatMessageData["isAction"]>().toEqualTypeOf<boolean>();
    expectTypeOf<ChatMessageData["bits"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf<TypedEvent<"twitch.chat.message">>().toExtend<StarEvent>();
  });

  it("types nullable users, enums and shared shapes", () => {
    expectTypeOf<CheerData["user"]>().toEqualTypeOf<TwitchUser | null>();
    expectTypeOf<SubscriptionGiftData["tier"]>().toEqualTypeOf<"1000" | "2000" | "3000">();
    expectTypeOf<EventData<"twitch.hype_train.progress">>().toEqualTypeOf<HypeTrainData>();
  });

  it("gives a declared custom event its declared type", () => {
    expectTypeOf<EventData<"custom.events-test.declared">>().toEqualTypeOf<{
      question: string;
      round: number;
    }>();
    expectTypeOf<TypedEvent<"custom.events-test.declared">["data"]["round"]>().toEqualTypeOf<number>();
    expectTypeOf<"custom.events-test.declared">().toExtend<EventType>();
  });

  it("types undeclared custom events as a record and other strings as unknown", () => {
    expectTypeOf<EventData<"custom.other.thing">>().toEqualTypeOf<Record<string, unknown>>();
    expectTypeOf<EventData<"something.else">>().toEqualTypeOf<unknown>();
    expectTypeOf<"twitch.nope">().not.toExtend<EventType>();
  });

  it("carries the types through parseEventData, createEvent and simulatedEventData", () => {
    expectTypeOf(parseEventData<"twitch.raid">).returns.toEqualTypeOf<{
      from: TwitchUser;
      viewers: number;
    }>();
    expectTypeOf(createEvent<"custom.events-test.declared">).returns.toEqualTypeOf<
      TypedEvent<"custom.events-test.declared">
    >();
    expectTypeOf(simulatedEventData<"twitch.follow">).returns.toEqualTypeOf<{
      user: TwitchUser;
      followedAt: string;
    }>();
  });
});
