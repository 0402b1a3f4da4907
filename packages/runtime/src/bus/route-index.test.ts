import { command, keyword, regex, type StarEvent, type TriggerDescriptor, userLevel } from "starstreamer";
import { describe, expect, it } from "vitest";
import { CooldownStore, compileTriggers, type RequiredText } from "../triggers/index.ts";
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
  options: {
    commands?: string[];
    pass?: (text: string) => boolean;
    required?: RequiredText;
    seen?: string[];
  } = {},
): RouteHandler {
  return {
    info: { id, type },
    triggers: {
      commandNames: options.commands ?? null,
      requiredText: options.required ?? null,
      route: (event) => {
        const text = String((event.data as { text?: unknown }).text ?? "");
        options.seen?.push(text);
        if (options.pass && !options.pass(text)) return { pass: false };
        return { pass: true, match: { command: null, regex: null } as never };
      },
    },
  };
}

/** A handler with real compiled triggers, as the registry builds it. */
function compiled(id: number, triggers: TriggerDescriptor[], cooldowns = new CooldownStore()): RouteHandler {
  return {
    info: { id, type: "twitch.chat.message" },
    triggers: compileTriggers(triggers, { prefix: "!", key: `test:${id}`, cooldowns }),
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

describe("route index: the chat pre-filter", () => {
  const chatEvent = (text: string) =>
    event("twitch.chat.message", {
      text,
      user: {
        id: "1",
        login: "bo",
        displayName: "Bo",
        isBroadcaster: false,
        isModerator: false,
        isVip: false,
        isSubscriber: false,
      },
    });

  it("evaluates a handler with required text only for messages that contain it, the others for all", () => {
    const hypeSeen: string[] = [];
    const clipSeen: string[] = [];
    const anySeen: string[] = [];
    const m = module("m", 0, [
      handler(0, "twitch.chat.message", {
        required: { words: ["hype", "pog"], lowerCase: true },
        seen: hypeSeen,
      }),
      handler(1, "twitch.chat.message", { required: { words: ["Clip-"], lowerCase: false }, seen: clipSeen }),
      handler(2, "twitch.chat.message", { seen: anySeen, pass: () => false }),
    ]);
    const index = new RouteIndex<TestModule>((x) => x.routed);
    index.rebuild([m]);
    for (const text of ["HYPE train", "see clip-1", "see Clip-1", "so pog", "nothing"])
      index.route(chatEvent(text));
    expect(hypeSeen).toEqual(["HYPE train", "so pog"]);
    expect(clipSeen).toEqual(["see Clip-1"]);
    expect(anySeen).toEqual(["HYPE train", "see clip-1", "see Clip-1", "so pog", "nothing"]);
    expect(decoded(m).map((e) => e.h.map(([id]) => id))).toEqual([[0], [1], [0]]);
  });

  it("routes a realistic trigger set exactly: quiet lines wake nobody, each matching line its module", () => {
    const modules = [0, 1, 2].map((k) =>
      module(`mix${k}`, k, [
        compiled(0, [command(`mix${k}`)]),
        compiled(1, [command(`mix${k}roll`, { args: ["sides:int"] })]),
        compiled(2, [keyword(`mix${k}hype`)]),
        compiled(3, [keyword(`mix${k}gg`)]),
        compiled(4, [regex(`\\bmix${k}-clip-(\\d{3,})\\b`, "i")]),
      ]),
    );
    const index = new RouteIndex<TestModule>((x) => x.routed);
    index.rebuild(modules);
    for (const quiet of [
      "lol the mix of items",
      "mix0 hype",
      "!mix9",
      "mix1-clip-12",
      "gg mix2ggs",
      "!discord",
    ]) {
      expect(index.route(chatEvent(quiet)).routed, quiet).toBe(0);
    }
    const cases: Array<[string, number, number]> = [
      ["!MIX0", 0, 0],
      ["!mix1roll 20", 1, 1],
      ["that was Mix2Hype!", 2, 2],
      ["gg mix0gg", 0, 3],
      ["see MIX1-CLIP-12345 now", 1, 4],
    ];
    for (const [text, k, id] of cases) {
      const before = modules.map((m) => m.pushed.length);
      expect(index.route(chatEvent(text)).routed, text).toBe(1);
      const after = modules.map((m) => m.pushed.length);
      expect(
        after.map((n, i) => n - before[i]!),
        text,
      ).toEqual(modules.map((_, i) => (i === k ? 1 : 0)));
      expect(
        decoded(modules[k]!)
          .at(-1)
          ?.h.map(([h]) => h),
      ).toEqual([id]);
    }
  });

  it("keeps a module's hits from a command and a keyword together, in registration order", () => {
    const m = module("m", 0, [compiled(0, [keyword("hype")]), compiled(1, [command("hype")])]);
    const other = module("other", 1, [compiled(0, [userLevel("viewer")])]);
    const index = new RouteIndex<TestModule>((x) => x.routed);
    index.rebuild([other, m]);
    expect(index.route(chatEvent("!hype hype")).routed).toBe(2);
    expect(decoded(m).map((e) => e.h.map(([id]) => id))).toEqual([[0, 1]]);
    expect(decoded(other)).toHaveLength(1);
  });

  it("finds commands whose first character is a letter or not ASCII, in any case", () => {
    const m = module("m", 0, [
      handler(0, "twitch.chat.message", { commands: ["hey"] }),
      handler(1, "twitch.chat.message", { commands: ["¡roll"] }),
    ]);
    const index = new RouteIndex<TestModule>((x) => x.routed);
    index.rebuild([m]);
    expect(index.route(chatEvent("HEY there")).routed).toBe(1);
    expect(index.route(chatEvent("¡ROLL 20")).routed).toBe(1);
    expect(index.route(chatEvent("!hey")).routed).toBe(0);
    expect(decoded(m).map((e) => e.h.map(([id]) => id))).toEqual([[0], [1]]);
  });

  it("answers a malformed command with its usage, naming the author", () => {
    const m = module("m", 0, [compiled(0, [command("roll", { args: ["sides:int"] })])]);
    const index = new RouteIndex<TestModule>((x) => x.routed);
    index.rebuild([m]);
    const outcome = index.route(chatEvent("!roll lots"));
    expect(outcome).toEqual({
      routed: 0,
      usage: ['@Bo Usage: !roll <sides> (<sides> must be a whole number, got "lots")'],
    });
    expect(m.pushed).toEqual([]);
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

  it("keeps a command's match as it travels (the name used) when remapping for a reload", () => {
    const event = { id: "e2", data: { text: "!pay @bo 5" } };
    const json = encodeEntry(JSON.stringify(event), [
      [0, { command: "pay" }],
      [2, { command: "pay", userLevel: "viewer" }],
    ]);
    expect(JSON.parse(remapEntry(json, [3, -1, 0]).json!)).toEqual({
      e: event,
      h: [
        [3, { command: "pay" }],
        [0, { command: "pay", userLevel: "viewer" }],
      ],
    });
  });
});
