import {
  command,
  cooldown,
  keyword,
  regex,
  type TriggerDescriptor,
  type TriggerMatchInfo,
  userLevel,
} from "starstreamer";
import { describe, expect, it } from "vitest";
import { decodeEntry, encodeEntry } from "../bus/delivery-entry.ts";
import { commandShapeOf, rebuildCommand, visibleMatch } from "./command-match.ts";
import { CooldownStore } from "./cooldown-store.ts";
import { createEventView } from "./event-view.ts";
import { chat, chatUser, compile } from "./test-harness.ts";

/** A moderator's chat line, its view, and the triggers compiled fresh (no cooldown held). */
function setup(triggers: TriggerDescriptor[], text: string, prefix: string) {
  const event = chat(text, chatUser("moderator"));
  const compiled = compile(triggers, { prefix, cooldowns: new CooldownStore() });
  return { event, view: createEventView(event), compiled };
}

/**
 * What a handler saw when the host sent the whole match: `evaluate`'s match through JSON, the gate
 * taken off.
 */
function hostMatch(triggers: TriggerDescriptor[], text: string, prefix = "!"): TriggerMatchInfo | null {
  const { event, view, compiled } = setup(triggers, text, prefix);
  const result = compiled.evaluate(event, view, 1000);
  if (!result.pass) return null;
  const { gate: _gate, ...visible } = JSON.parse(JSON.stringify(result.match)) as Record<string, unknown>;
  return visible as TriggerMatchInfo;
}

/** What a handler sees now: `route`'s match through an entry's JSON, rebuilt as the worker does. */
function workerMatch(triggers: TriggerDescriptor[], text: string, prefix = "!"): TriggerMatchInfo | null {
  const { event, view, compiled } = setup(triggers, text, prefix);
  const result = compiled.route(event, view, 1000);
  if (!result.pass) return null;
  // JSON written ahead (a command no other trigger adds to) is the match's own JSON.
  if (result.json !== undefined) expect(result.json).toBe(JSON.stringify(result.match));
  const entry = decodeEntry(encodeEntry(JSON.stringify(event), [[0, result.match]]));
  const [, match] = entry.h[0]!;
  // The worker reads the handler's triggers as it declared them (plain data through structured clone).
  return visibleMatch(match, commandShapeOf(structuredClone(triggers)), entry.e as { data?: unknown });
}

const give = command("!give", {
  aliases: ["transfer", "pay"],
  args: ["user:user", "amount:int", "note?:rest"],
});
const roll = command("roll", { aliases: ["dice"], args: ["sides?:int", "times?:number"] });
const say = command("say", { args: ["text:rest"], prefix: "~" });
const tag = command("!tag", { args: ["who?:user", "label?"] });
const bare = command("!sink");
const unicode = command("!grüß", { aliases: ["ßay", "日本"], args: ["wer?", "rest?:rest"] });

const cases: Array<[string, TriggerDescriptor[], string[]]> = [
  [
    "aliases, typed params and a rest",
    [give],
    [
      "!give @Bob 5",
      "!GIVE @Bob 5 thanks   for \t all  ",
      "  !Transfer bob -7",
      "!pay\tBOB\t12\tfor the\u00a0raid",
      "!give @Bob 5 \"quoted  words\" 'and more'",
    ],
  ],
  [
    "optional ints and numbers, host prefix",
    [roll],
    ["?roll", "?ROLL 20", "?dice 6 1.5e2", "?dice   6    .5   extra words  ", "?roll\u3000 8"],
  ],
  [
    "a pinned prefix and a required rest",
    [say],
    ["~say hello   world  ", "~SAY \u2003spaced\u2003out\u2003"],
  ],
  ["optional user and word", [tag], ["!tag", "!tag @Someone", "!tag @Someone friend extra", "!tag\t@A\tb"]],
  ["no arguments", [bare], ["!sink", "!sink this is what a typical chat line looks like, Kappa", "!SINK   "]],
  [
    "unicode names, words and whitespace",
    [unicode],
    ["!grüß", "!GRÜß x", "!grüß Jürgen 😀 héllo\u200b wörld", "!ßay \u00a0a\u00a0b\u00a0", "!日本 語 です  "],
  ],
  [
    "a command with the other triggers",
    [give, keyword("thanks"), regex(/(\d+)/), userLevel("moderator")],
    ["!give @bo 5 thanks pal", "!transfer bo 12 thanks"],
  ],
  ["a command with a notifying cooldown", [tag, cooldown({ user: "10s", notify: true })], ["!tag @x y"]],
  [
    "two commands on one handler, each with arguments",
    [command("!both", { args: ["a:int"] }), command("!both", { args: ["b?:user", "c?:rest"] })],
    ["!both 3", "!both 3 @Zed the rest"],
  ],
];

describe("a command match rebuilt in the worker", () => {
  it.each(cases)("equals the match the host built, for %s", (_what, triggers, texts) => {
    for (const prefix of ["!", "?"]) {
      for (const text of texts) {
        const expected = hostMatch(triggers, text, prefix);
        // Each line is meant to match under one of the prefixes; both sides must agree either way.
        expect(workerMatch(triggers, text, prefix)).toStrictEqual(expected);
        if (expected !== null) {
          // Same fields in the same order, as a module that serialises ctx.match would see them.
          expect(JSON.stringify(workerMatch(triggers, text, prefix))).toBe(JSON.stringify(expected));
        }
      }
    }
    const matched = texts.filter((t) => hostMatch(triggers, t, "!") ?? hostMatch(triggers, t, "?"));
    expect(matched).toEqual(texts);
  });

  it("sends a command's match as the name used, without the line's words", () => {
    const event = chat("!transfer @Bob 5 a long note that repeats the line");
    const triggers = compile([give]);
    const result = triggers.route(event, createEventView(event), 0);
    expect(result).toEqual({ pass: true, match: { command: "transfer" }, json: '{"command":"transfer"}' });
    // With another trigger adding to the match, it is built per event and has no JSON yet.
    const withLevel = compile([give, userLevel("viewer")]).route(event, createEventView(event), 0);
    expect(withLevel).toEqual({ pass: true, match: { command: "transfer", userLevel: "viewer" } });
    const full = triggers.evaluate(event, createEventView(event), 0);
    expect(full.pass && full.match.command?.used).toBe("transfer");
  });

  it("answers a malformed command from route as from evaluate", () => {
    const event = chat("!give @Bob lots");
    const triggers = compile([give]);
    const routed = triggers.route(event, createEventView(event), 0);
    expect(routed).toEqual(triggers.evaluate(event, createEventView(event), 0));
    expect(routed).toMatchObject({
      pass: false,
      usage: { error: '<amount> must be a whole number, got "lots"' },
    });
  });

  it("reads params per the handler's current command when it changed while the event waited", () => {
    const now = commandShapeOf([command("!give", { args: ["amount:int", "who?:user"] })]);
    expect(rebuildCommand(now, "give", "!give @Bob 5")).toEqual({
      name: "give",
      used: "give",
      args: ["@Bob", "5"],
      params: {},
      rest: "@Bob 5",
    });
    expect(rebuildCommand(null, "give", "!give 5")).toEqual({
      name: "give",
      used: "give",
      args: ["5"],
      params: {},
      rest: "5",
    });
  });

  it("passes a match without a command through, the gate taken off", () => {
    const plain = { keyword: { word: "hi" } };
    expect(visibleMatch(plain, null, {})).toBe(plain);
    expect(visibleMatch(null, null, {})).toEqual({});
    const gate = { n: 1, at: 0, user: null, g: 10, u: 0, notify: false, blockers: [] };
    expect(visibleMatch({ keyword: { word: "hi" }, gate }, null, {})).toStrictEqual({
      keyword: { word: "hi" },
    });
    expect(
      visibleMatch({ command: "x", userLevel: "viewer", gate }, commandShapeOf([command("!x")]), {
        data: { text: "!x y" },
      }),
    ).toStrictEqual({
      command: { name: "x", used: "x", args: ["y"], params: {}, rest: "y" },
      userLevel: "viewer",
    });
  });
});
