import type { StarEvent } from "starstreamer";
import { describe, expect, it } from "vitest";
import type { DeliveryEntry } from "../worker/protocol.ts";
import { encodeEntry, remapEntry } from "./delivery-entry.ts";
import { type RouteHandler, RouteIndex, type RouteModule } from "./route-index.ts";

interface TestModule extends RouteModule {
  name: string;
  routed: boolean;
  pushed: string[];
}

function handler(
  id: number,
  type: string,
  options: { commands?: string[]; pass?: (text: string) => boolean } = {},
): RouteHandler {
  return {
    info: { id, type },
    triggers: {
      commandNames: options.commands ?? null,
      requiredText: null,
      evaluate: (event) => {
        const text = String((event.data as { text?: unknown }).text ?? "");
        if (options.pass && !options.pass(text)) return { pass: false };
        return { pass: true, match: { command: null, regex: null } as never };
      },
    },
  };
}

function module(name: string, index: number, handlers: RouteHandler[]): TestModule {
  const m: TestModule = {
    name,
    index,
    handlers,
    routed: true,
    pushed: [],
    queue: { push: (json) => m.pushed.push(json) > 0 },
  };
  return m;
}

function event(type: string, data: Record<string, unknown> = {}): StarEvent {
  return {
    id: `e-${Math.random()}`,
    type,
    source: "test",
    timestamp: Date.now(),
    data,
  };
}

const decoded = (m: TestModule) => m.pushed.map((json) => JSON.parse(json) as DeliveryEntry);

describe("route index", () => {
  it("routes a chat command only to the handlers of its first word, one entry per module", () => {
    const dice = module("dice", 0, [
      handler(0, "twitch.chat.message", { commands: ["!roll"] }),
      handler(1, "twitch.chat.message"),
    ]);
    const greet = module("greet", 1, [handler(0, "twitch.chat.message", { commands: ["!greet"] })]);
    const index = new RouteIndex<TestModule>((m) => m.routed);
    index.rebuild([dice, greet]);
    const outcome = index.route(event("twitch.chat.message", { text: "!ROLL 2d6" }));
    expect(outcome.routed).toBe(1);
    expect(decoded(dice).map((e) => e.h.map(([id]) => id))).toEqual([[0, 1]]);
    expect(greet.pushed).toEqual([]);
  });

  it("routes other types by exact type and by wildcard prefix, in registration order", () => {
    const a = module("a", 0, [handler(0, "twitch.*")]);
    const b = module("b", 1, [handler(0, "twitch.follow"), handler(1, "*")]);
    const index = new RouteIndex<TestModule>((m) => m.routed);
    index.rebuild([b, a]);
    expect(index.route(event("twitch.follow")).routed).toBe(2);
    expect(decoded(b)[0]?.h.map(([id]) => id)).toEqual([0, 1]);
    expect(index.route(event("obs.scene.changed")).routed).toBe(1);
    expect(a.pushed).toHaveLength(1);
  });

  it("skips modules that do not take events now and handlers whose triggers fail", () => {
    const off = module("off", 0, [handler(0, "twitch.follow")]);
    const picky = module("picky", 1, [handler(0, "twitch.chat.message", { pass: (t) => t.includes("yes") })]);
    off.routed = false;
    const index = new RouteIndex<TestModule>((m) => m.routed);
    index.rebuild([off, picky]);
    expect(index.route(event("twitch.follow")).routed).toBe(0);
    expect(index.route(event("twitch.chat.message", { text: "no" })).routed).toBe(0);
    expect(index.route(event("twitch.chat.message", { text: "yes" })).routed).toBe(1);
    expect(off.pushed).toEqual([]);
  });

  it("knows which command tokens several modules answer", () => {
    const a = module("a", 0, [handler(0, "twitch.chat.message", { commands: ["!hi"] })]);
    const b = module("b", 1, [handler(0, "twitch.chat.message", { commands: ["!hi", "!bye"] })]);
    const index = new RouteIndex<TestModule>((m) => m.routed);
    index.rebuild([a, b]);
    const owners = index.commandOwners();
    expect([...(owners.get("!hi") ?? [])].map((m) => m.name)).toEqual(["a", "b"]);
    expect(owners.get("!bye")?.size).toBe(1);
  });
});

describe("delivery entry", () => {
  it("remaps handler ids for a new table and drops hits whose handler is gone", () => {
    const json = encodeEntry(JSON.stringify({ id: "e1" }), [
      [0, { a: 1 }],
      [1, null],
    ]);
    expect(remapEntry(json, [1, -1])).toEqual({
      json: JSON.stringify({ e: { id: "e1" }, h: [[1, { a: 1 }]] }),
      dropped: 1,
    });
    expect(remapEntry(json, [-1, -1])).toEqual({ json: null, dropped: 2 });
  });
});
