import type { StarEvent } from "starstreamer";
import { describe, expect, it } from "vitest";
import { createEventView } from "./event-view.ts";

function event(data: unknown, type = "twitch.chat.message"): StarEvent {
  return { id: "e1", type, source: "test", timestamp: 0, data };
}

const user = {
  id: "42",
  login: "alice",
  displayName: "Alice",
  badges: {},
  isBroadcaster: false,
  isModerator: true,
  isVip: true,
  isSubscriber: false,
};

describe("createEventView", () => {
  it("splits a chat message into a lower-cased first word, words and rest", () => {
    const view = createEventView(event({ text: "  !GIVE  @Bob 50\tfor the  win  ", user }));
    expect(view.text).toBe("  !GIVE  @Bob 50\tfor the  win  ");
    expect(view.lowerText).toBe("  !give  @bob 50\tfor the  win  ");
    expect(view.firstToken).toBe("!give");
    expect(view.argTokens).toEqual(["@Bob", "50", "for", "the", "win"]);
    expect(view.restText).toBe("@Bob 50\tfor the  win");
    expect(view.userLevel).toBe("moderator");
    expect(view.userId).toBe("42");
    expect(view.user?.displayName).toBe("Alice");
  });

  it("gives an empty first word and no words for a blank message", () => {
    const view = createEventView(event({ text: "   ", user }));
    expect(view.firstToken).toBe("");
    expect(view.argTokens).toEqual([]);
    expect(view.restText).toBe("");
  });

  it("treats non-breaking and other Unicode spaces as separators", () => {
    const view = createEventView(event({ text: "!hi\u00a0there\u2003you", user }));
    expect(view.firstToken).toBe("!hi");
    expect(view.argTokens).toEqual(["there", "you"]);
  });

  it("has no text, viewer level and no author for an event without them", () => {
    const view = createEventView(event({ scene: "Main" }, "obs.scene.changed"));
    expect(view.text).toBeNull();
    expect(view.lowerText).toBeNull();
    expect(view.firstToken).toBeNull();
    expect(view.argTokens).toEqual([]);
    expect(view.userLevel).toBe("viewer");
    expect(view.userId).toBeNull();
    expect(view.user).toBeNull();
  });

  it("reads a follower without chat flags as a viewer with an id", () => {
    const view = createEventView(
      event({ user: { id: "7", login: "bob", displayName: "Bob" } }, "twitch.follow"),
    );
    expect(view.userLevel).toBe("viewer");
    expect(view.userId).toBe("7");
  });

  it("survives data that is null or not an object", () => {
    for (const data of [null, undefined, 5, "text"]) {
      const view = createEventView(event(data, "custom.x.y"));
      expect(view.text).toBeNull();
      expect(view.userLevel).toBe("viewer");
      expect(view.userId).toBeNull();
    }
  });
});
