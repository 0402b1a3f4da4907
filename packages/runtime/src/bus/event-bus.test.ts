import type { StarEvent } from "starstreamer";
import { describe, expect, it } from "vitest";
import { createLogger } from "../logger.ts";
import { EventBus } from "./event-bus.ts";
import { eventJson } from "./event-json.ts";

const raid = { from: { id: "9", login: "raider", displayName: "Raider" }, viewers: 12 };

describe("EventBus", () => {
  it("validates, then delivers to exact, family and catch-all listeners and to the router", () => {
    const bus = new EventBus(createLogger({ write: null }));
    const seen: string[] = [];
    const routed: StarEvent[] = [];
    bus.setRouter((e) => routed.push(e));
    const off = bus.on("twitch.raid", () => seen.push("exact"));
    bus.on("twitch.*", () => seen.push("family"));
    bus.on("*", () => seen.push("all"));
    const event = bus.emit("twitch.raid", raid, "test");
    expect(event).toMatchObject({ type: "twitch.raid", source: "test", data: raid });
    expect(event.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen).toEqual(["exact", "family", "all"]);
    expect(routed).toEqual([event]);
    off();
    bus.emit("twitch.raid", raid, "test");
    expect(seen).toEqual(["exact", "family", "all", "family", "all"]);
  });

  it("routes an event before the listeners see it, and still tells them when routing throws", () => {
    const bus = new EventBus(createLogger({ write: null }));
    const order: string[] = [];
    let fail = false;
    bus.setRouter((e) => {
      order.push(`routed ${e.type}`);
      if (fail) throw new Error("router broke");
    });
    bus.on("*", (e: StarEvent) => {
      order.push(`heard ${e.type}`);
      // An event a listener emits is routed after the one it reacts to.
      if (e.type === "custom.quiz.started") bus.emit("custom.quiz.nested", { n: 1 }, "module:quiz");
    });
    bus.emit("custom.quiz.started", { q: 1 }, "module:quiz");
    expect(order).toEqual([
      "routed custom.quiz.started",
      "heard custom.quiz.started",
      "routed custom.quiz.nested",
      "heard custom.quiz.nested",
    ]);
    fail = true;
    expect(() => bus.emit("twitch.raid", raid, "test")).toThrow("router broke");
    expect(order.slice(4)).toEqual(["routed twitch.raid", "heard twitch.raid"]);
  });

  it("rejects bad payloads and unknown types before anyone sees them", () => {
    const bus = new EventBus(createLogger({ write: null }));
    const routed: StarEvent[] = [];
    bus.setRouter((e) => routed.push(e));
    expect(() => bus.emit("twitch.raid", { ...raid, viewers: "many" }, "test")).toThrow(/data\.viewers/);
    expect(() => bus.emit("twitch.nope", {}, "test")).toThrow(
      expect.objectContaining({ code: "SS_EVENT_UNKNOWN_TYPE" }),
    );
    expect(routed).toHaveLength(0);
  });

  it("a throwing listener is logged and does not stop the others", () => {
    const messages: string[] = [];
    const logger = createLogger({ write: null });
    logger.onRecord((r) => messages.push(r.message));
    const bus = new EventBus(logger);
    const seen: string[] = [];
    bus.on("custom.quiz.started", () => {
      throw new Error("listener broke");
    });
    bus.on("*", () => seen.push("after"));
    bus.emit("custom.quiz.started", { question: "?" }, "module:quiz");
    expect(seen).toEqual(["after"]);
    expect(messages[0]).toContain("listener broke");
  });

  it("routes a custom event with the JSON of its size check, the same text JSON.stringify writes", () => {
    const bus = new EventBus(createLogger({ write: null }));
    const written: Array<[StarEvent, string]> = [];
    bus.setRouter((e) => written.push([e, eventJson(e)]));
    // A listener that emits while the outer event is being published: each keeps its own JSON.
    bus.on("custom.quiz.started", () => {
      bus.emit("custom.quiz.nested", { n: 1 }, "module:quiz");
    });
    const data = { question: 'say "hi"\n', options: ["a", "b"], meta: { skip: undefined, n: 2.5 } };
    const event = bus.emit("custom.quiz.started", data, "module:quiz");
    const raid = bus.emit(
      "twitch.raid",
      { from: { id: "9", login: "r", displayName: "R" }, viewers: 1 },
      "t",
    );
    expect(written.map(([e]) => e.type)).toEqual([
      "custom.quiz.started",
      "custom.quiz.nested",
      "twitch.raid",
    ]);
    for (const [e, json] of written) expect(json).toBe(JSON.stringify(e));
    expect(written[0]![0]).toBe(event);
    expect(written[2]![0]).toBe(raid);
    // Outside publishing, nothing is remembered: the JSON is written afresh.
    expect(eventJson(event)).toBe(JSON.stringify(event));
  });
});
