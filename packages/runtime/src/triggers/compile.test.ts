import {
  type ChatUser,
  command,
  cooldown,
  keyword,
  regex,
  type StarEvent,
  StarStreamerError,
  type TriggerDescriptor,
  type UserLevel,
  userLevel,
} from "starstreamer";
import { describe, expect, it } from "vitest";
import { compileTriggers, type TriggerResult } from "./compile.ts";
import { CooldownStore } from "./cooldown-store.ts";
import { createEventView } from "./event-view.ts";

function chatUser(level: UserLevel = "viewer", id = "1", login = "viewer1"): ChatUser {
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

function chat(text: string, user: ChatUser = chatUser()): StarEvent {
  return {
    id: `e-${text}`,
    type: "twitch.chat.message",
    source: "test",
    timestamp: 0,
    data: { messageId: "m1", channel: "chan", text, user, isAction: false, firstMessage: false },
  };
}

const follow: StarEvent = {
  id: "f1",
  type: "twitch.follow",
  source: "test",
  timestamp: 0,
  data: { user: { id: "9", login: "fan", displayName: "Fan" }, followedAt: "2024-01-01T00:00:00Z" },
};

function compile(
  triggers: TriggerDescriptor[],
  options: { prefix?: string; key?: string; cooldowns?: CooldownStore } = {},
) {
  return compileTriggers(triggers, {
    prefix: options.prefix ?? "!",
    key: options.key ?? "test:handler",
    cooldowns: options.cooldowns ?? new CooldownStore(),
  });
}

function run(triggers: ReturnType<typeof compile>, event: StarEvent, now = 0): TriggerResult {
  return triggers.evaluate(event, createEventView(event), now);
}

function passed(result: TriggerResult) {
  if (!result.pass) throw new Error(`expected a pass, got ${JSON.stringify(result)}`);
  return result.match;
}

describe("compileTriggers: commands", () => {
  const give = compile([command("!give", { aliases: ["transfer"], args: ["user:user", "amount:int"] })]);

  it("lists the full command words for routing", () => {
    expect(give.commandNames).toEqual(["!give", "!transfer"]);
    expect(compile([keyword("hi")]).commandNames).toBeNull();
    expect(compile([command("greet")], { prefix: "?" }).commandNames).toEqual(["?greet"]);
    expect(compile([command("greet", { prefix: "~" })], { prefix: "?" }).commandNames).toEqual(["~greet"]);
  });

  it("matches the first word case-insensitively, by name or alias", () => {
    expect(passed(run(give, chat("!GIVE @Bob 5"))).command).toEqual({
      name: "give",
      used: "give",
      args: ["@Bob", "5"],
      params: { user: "bob", amount: 5 },
      rest: "@Bob 5",
    });
    expect(passed(run(give, chat("  !Transfer bob 7 thanks for all"))).command).toMatchObject({
      name: "give",
      used: "transfer",
      args: ["bob", "7", "thanks", "for", "all"],
      params: { user: "bob", amount: 7 },
      rest: "bob 7 thanks for all",
    });
  });

  it("rejects other first words without usage", () => {
    for (const text of ["!giveaway bob 5", "give bob 5", "hey !give bob 5", "", "!"]) {
      expect(run(give, chat(text))).toEqual({ pass: false });
    }
  });

  it("uses the host prefix unless the command pins one", () => {
    const greet = compile([command("!greet")], { prefix: "?" });
    expect(run(greet, chat("!greet")).pass).toBe(false);
    expect(run(greet, chat("?greet")).pass).toBe(true);
    const pinned = compile([command("greet", { prefix: "!" })], { prefix: "?" });
    expect(run(pinned, chat("!greet")).pass).toBe(true);
    expect(run(pinned, chat("?greet")).pass).toBe(false);
    const bare = compile([command("hello", { prefix: "" })]);
    expect(run(bare, chat("Hello there")).pass).toBe(true);
  });

  it("parses each argument type", () => {
    const all = compile([command("!t", { args: ["s", "i:int", "n:number", "u:user", "r:rest"] })]);
    expect(passed(run(all, chat("!t Word -12 3.5e2 @MixedCase  the  rest of it  "))).command?.params).toEqual(
      {
        s: "Word",
        i: -12,
        n: 350,
        u: "mixedcase",
        r: "the  rest of it",
      },
    );
  });

  it("leaves missing optional arguments undefined", () => {
    const roll = compile([command("!roll", { args: ["sides?:int", "note?:rest"] })]);
    expect(passed(run(roll, chat("!roll"))).command?.params).toEqual({ sides: undefined, note: undefined });
    expect(passed(run(roll, chat("!roll 20 for luck"))).command?.params).toEqual({
      sides: 20,
      note: "for luck",
    });
  });

  it("answers a missing argument with the usage text", () => {
    expect(run(give, chat("!give bob"))).toEqual({
      pass: false,
      usage: { text: "Usage: !give <user> <amount>", error: "missing <amount>" },
    });
    const say = compile([command("!say", { args: ["text:rest"] })], { prefix: "?" });
    expect(run(say, chat("?say   "))).toEqual({
      pass: false,
      usage: { text: "Usage: ?say <text...>", error: "missing <text...>" },
    });
  });

  it.each([
    ["!give bob abc", '<amount> must be a whole number, got "abc"'],
    ["!give bob 1.5", '<amount> must be a whole number, got "1.5"'],
    ["!give bob 99999999999999999999", '<amount> must be a whole number, got "99999999999999999999"'],
    ["!give @ 5", '<user> must be a user name, got "@"'],
  ])("answers %j with %j", (text, error) => {
    expect(run(give, chat(text))).toEqual({
      pass: false,
      usage: { text: "Usage: !give <user> <amount>", error },
    });
  });

  it.each(["abc", "0x10", "Infinity", "1e999", ""])("rejects %j as a number", (token) => {
    const bet = compile([command("!bet", { args: ["odds:number"] })]);
    const result = run(bet, chat(`!bet ${token}`));
    expect(result.pass).toBe(false);
  });

  it("fails for events without text", () => {
    expect(run(give, follow)).toEqual({ pass: false });
  });
});

describe("compileTriggers: regex and keyword", () => {
  it("returns the match, its index and named groups", () => {
    const dice = compile([regex(/(?<dice>\d+)d(?<sides>\d+)(?<bonus>\+\d+)?/)]);
    expect(passed(run(dice, chat("roll 2d20 please"))).regex).toEqual({
      match: ["2d20", "2", "20", ""],
      index: 5,
      groups: { dice: "2", sides: "20" },
    });
    expect(run(dice, chat("no dice")).pass).toBe(false);
    expect(run(dice, follow).pass).toBe(false);
  });

  it("needs every regex to match and reports the first one's match, with its flags applied", () => {
    const shout = compile([regex(/^(?<cmd>![a-z]+)/i), regex(/\d+$/)]);
    expect(passed(run(shout, chat("!ROLL 20"))).regex).toEqual({
      match: ["!ROLL", "!ROLL"],
      index: 0,
      groups: { cmd: "!ROLL" },
    });
    expect(run(shout, chat("!roll twenty")).pass).toBe(false);
  });

  it("matches a pattern that would backtrack exponentially, on a viewer's 30 a's, in linear time", () => {
    const allAs = compile([regex(/^(a+)+$/)]);
    expect(run(allAs, chat(`${"a".repeat(30)}!`)).pass).toBe(false);
    expect(passed(run(allAs, chat("aaaa"))).regex?.match).toEqual(["aaaa", "aaaa"]);
  });

  it("refuses a regex with a backreference when the handler is compiled, naming the handler", () => {
    let error: unknown;
    try {
      compile([regex(/(\w)\1/)], { key: "echo:double" });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(StarStreamerError);
    expect((error as StarStreamerError).code).toBe("SS_TRIGGER_REGEX_UNSUPPORTED");
    expect((error as StarStreamerError).message).toMatch(
      /^handler "echo:double": regex \/\(\\w\)\\1\/ cannot run in linear time: it uses a backreference/,
    );
  });

  it("is not stateful across messages even when the pattern had g", () => {
    const hi = compile([regex(/hi/g)]);
    expect(run(hi, chat("hi")).pass).toBe(true);
    expect(run(hi, chat("hi")).pass).toBe(true);
  });

  it("matches whole words by default", () => {
    const hi = compile([keyword(["hi", "good morning"])]);
    expect(passed(run(hi, chat("Hi there"))).keyword).toEqual({ word: "hi" });
    expect(passed(run(hi, chat("well, HI!"))).keyword).toEqual({ word: "hi" });
    expect(passed(run(hi, chat("Good Morning chat"))).keyword).toEqual({ word: "good morning" });
    expect(passed(run(hi, chat("this thing, then hi"))).keyword).toEqual({ word: "hi" });
    expect(run(hi, chat("this is high")).pass).toBe(false);
    expect(run(hi, chat("hiééé")).pass).toBe(false);
  });

  it("matches anywhere when wholeWord is off", () => {
    const hi = compile([keyword("hi", { wholeWord: false })]);
    expect(passed(run(hi, chat("THIS"))).keyword).toEqual({ word: "hi" });
    expect(run(hi, chat("nope")).pass).toBe(false);
  });

  it("matches a keyword made of symbols next to words", () => {
    const smile = compile([keyword(":)")]);
    expect(run(smile, chat("nice:)")).pass).toBe(true);
  });

  it("fails for events without text", () => {
    expect(run(compile([keyword("fan", { wholeWord: false })]), follow).pass).toBe(false);
  });
});

describe("compileTriggers: userLevel", () => {
  const levels: UserLevel[] = ["viewer", "subscriber", "vip", "moderator", "broadcaster"];

  it.each(levels)("lets through exactly the levels at or above %s", (min) => {
    const gate = compile([userLevel(min)]);
    for (const level of levels) {
      const result = run(gate, chat("hello", chatUser(level)));
      expect(result.pass).toBe(levels.indexOf(level) >= levels.indexOf(min));
      if (result.pass) expect(result.match.userLevel).toBe(level);
    }
  });

  it("counts an event author without chat flags as a viewer", () => {
    expect(run(compile([userLevel("viewer")]), follow).pass).toBe(true);
    expect(run(compile([userLevel("subscriber")]), follow).pass).toBe(false);
  });
});

describe("compileTriggers: cooldown", () => {
  const alice = chatUser("viewer", "a", "alice");
  const bob = chatUser("viewer", "b", "bob");

  it("blocks everyone during a global window and lets through after it", () => {
    const t = compile([command("!hug"), cooldown({ global: "10s" })]);
    expect(passed(run(t, chat("!hug", alice), 0)).cooldown).toBeUndefined();
    expect(run(t, chat("!hug", bob), 9_999)).toEqual({ pass: false });
    expect(run(t, chat("!hug", bob), 10_000).pass).toBe(true);
  });

  it("blocks per user during a user window", () => {
    const t = compile([command("!hug"), cooldown({ user: "1m" })]);
    expect(run(t, chat("!hug", alice), 0).pass).toBe(true);
    expect(run(t, chat("!hug", alice), 30_000).pass).toBe(false);
    expect(run(t, chat("!hug", bob), 30_000).pass).toBe(true);
    expect(run(t, chat("!hug", alice), 60_000).pass).toBe(true);
  });

  it("reports the remaining time in notify mode without restarting the window", () => {
    const t = compile([command("!hug"), cooldown({ global: "5s", user: "1m", notify: true })]);
    run(t, chat("!hug", alice), 0);
    expect(passed(run(t, chat("!hug", alice), 1_000)).cooldown).toEqual({
      active: true,
      scope: "user",
      remainingMs: 59_000,
    });
    expect(passed(run(t, chat("!hug", bob), 2_000)).cooldown).toEqual({
      active: true,
      scope: "global",
      remainingMs: 3_000,
    });
    expect(passed(run(t, chat("!hug", alice), 59_000)).cooldown?.remainingMs).toBe(1_000);
    expect(passed(run(t, chat("!hug", alice), 60_000)).cooldown).toBeUndefined();
  });

  it("starts only when every other trigger passed", () => {
    const t = compile([
      command("!give", { args: ["amount:int"] }),
      userLevel("vip"),
      cooldown({ global: "1m" }),
    ]);
    expect(run(t, chat("!give 5", alice), 0).pass).toBe(false);
    expect(run(t, chat("!give", chatUser("vip")), 0).pass).toBe(false);
    expect(run(t, chat("!give 5", chatUser("vip")), 0).pass).toBe(true);
    expect(run(t, chat("!give 5", chatUser("moderator")), 1).pass).toBe(false);
  });

  const predicate = { kind: "predicate", index: 0 } as const;

  it("with a function trigger: holds the window tentatively and lets later events through, gated on it", () => {
    const cooldowns = new CooldownStore();
    const t = compile([command("!even"), predicate, cooldown({ global: "1m" })], { cooldowns });
    expect(t.hasPredicates).toBe(true);
    const first = passed(run(t, chat("!even", alice), 0));
    expect(first.gate).toEqual({
      n: expect.any(Number),
      at: 0,
      user: "a",
      g: 60_000,
      u: 0,
      notify: false,
      blockers: [],
    });
    // Not refused: the first event's function trigger has not answered yet.
    const second = passed(run(t, chat("!even", bob), 10));
    expect(second.gate).toMatchObject({ at: 10, user: "b", blockers: [[first.gate!.n, "global", 59_990]] });
    expect(cooldowns.size).toBe(0);
    expect(cooldowns.pendingCount("test:handler")).toBe(2);
  });

  it("a verdict that took the window starts it from the event's time: later events are refused on the host", () => {
    const t = compile([command("!even"), predicate, cooldown({ global: "1m" })]);
    const first = passed(run(t, chat("!even", alice), 1_000));
    t.release("a", { gate: { n: first.gate!.n, took: true } });
    expect(run(t, chat("!even", bob), 2_000)).toEqual({ pass: false });
    expect(passed(run(t, chat("!even", bob), 61_000)).gate?.blockers).toEqual([]);
  });

  it("a verdict that did not take it leaves the handler free, and a plain skip report changes nothing", () => {
    const t = compile([command("!even"), predicate, cooldown({ global: "1m" })]);
    const first = passed(run(t, chat("!even", alice), 0));
    t.release("a", { cooldown: undefined });
    expect(passed(run(t, chat("!even", bob), 1)).gate?.blockers).toHaveLength(1);
    t.release("a", { gate: { n: first.gate!.n, took: false } });
    expect(passed(run(t, chat("!even", bob), 2)).gate?.blockers).toHaveLength(1);
  });

  it("ignores a malformed verdict from the worker", () => {
    const t = compile([command("!even"), predicate, cooldown({ global: "1m" })]);
    const first = passed(run(t, chat("!even", alice), 0));
    for (const bad of [null, "x", { gate: null }, { gate: { n: String(first.gate!.n), took: true } }]) {
      t.release("a", bad);
    }
    t.release("a", { gate: { n: first.gate!.n, took: "yes" } });
    expect(run(t, chat("!even", bob), 1).pass).toBe(true);
  });

  it("with notify, a started window passes with match.cooldown and no gate", () => {
    const t = compile([command("!even"), predicate, cooldown({ user: "1m", notify: true })]);
    const first = passed(run(t, chat("!even", alice), 0));
    expect(first.gate?.notify).toBe(true);
    t.release("a", { gate: { n: first.gate!.n, took: true } });
    const during = passed(run(t, chat("!even", alice), 1_000));
    expect(during.cooldown).toEqual({ active: true, scope: "user", remainingMs: 59_000 });
    expect(during.gate).toBeUndefined();
  });

  it("gives no gate when the cooldown has no window for the event (a user cooldown, no author)", () => {
    const t = compile([predicate, cooldown({ user: "1m" })]);
    const scene: StarEvent = { ...follow, type: "obs.scene.changed", data: { sceneName: "Live" } };
    expect(passed(run(t, scene)).gate).toBeUndefined();
    expect(passed(run(t, chat("hi", alice))).gate).toBeDefined();
  });

  it("without function triggers, starts the window at once and never gates", () => {
    const t = compile([command("!hug"), cooldown({ global: "1m" })]);
    expect(passed(run(t, chat("!hug", alice), 0)).gate).toBeUndefined();
    expect(run(t, chat("!hug", bob), 1).pass).toBe(false);
  });

  it("keeps cooldown state across two compilations with the same key (a module reload)", () => {
    const cooldowns = new CooldownStore();
    const before = compile([command("!hug"), cooldown({ user: "1m" })], { key: "greeter:hug", cooldowns });
    expect(run(before, chat("!hug", alice), 0).pass).toBe(true);
    const after = compile([command("!hug"), cooldown({ user: "1m" })], { key: "greeter:hug", cooldowns });
    expect(run(after, chat("!hug", alice), 10_000).pass).toBe(false);
    const other = compile([command("!hug"), cooldown({ user: "1m" })], { key: "greeter:other", cooldowns });
    expect(run(other, chat("!hug", alice), 10_000).pass).toBe(true);
  });
});

describe("compileTriggers: combinations and input checks", () => {
  it("passes only when every trigger passes, and reports each match", () => {
    const t = compile([
      command("!quote", { args: ["text:rest"] }),
      keyword("inspiring"),
      regex(/(?<who>\w+) said/),
      userLevel("subscriber"),
      { kind: "predicate", index: 0 },
    ]);
    const sub = chatUser("subscriber");
    const match = passed(run(t, chat("!quote Ada said something inspiring", sub)));
    expect(match).toEqual({
      command: {
        name: "quote",
        used: "quote",
        args: ["Ada", "said", "something", "inspiring"],
        params: { text: "Ada said something inspiring" },
        rest: "Ada said something inspiring",
      },
      regex: { match: ["Ada said", "Ada"], index: 7, groups: { who: "Ada" } },
      keyword: { word: "inspiring" },
      userLevel: "subscriber",
    });
    expect(run(t, chat("!quote Ada said something dull", sub)).pass).toBe(false);
    expect(run(t, chat("!quote Ada wrote something inspiring", sub)).pass).toBe(false);
    expect(run(t, chat("!quote Ada said something inspiring")).pass).toBe(false);
  });

  it("does not show usage to an author another trigger rejects", () => {
    const t = compile([command("!ban", { args: ["user:user"] }), userLevel("moderator")]);
    expect(run(t, chat("!ban"))).toEqual({ pass: false });
    expect(run(t, chat("!ban", chatUser("moderator")))).toMatchObject({
      pass: false,
      usage: { error: "missing <user>" },
    });
  });

  it("passes every event when there are no triggers", () => {
    expect(run(compile([]), follow)).toEqual({ pass: true, match: {} });
  });

  it("shares one view across handlers and reuses the rejection object", () => {
    const a = compile([command("!a")]);
    const b = compile([command("!b")]);
    const event = chat("!c");
    const view = createEventView(event);
    expect(a.evaluate(event, view, 0)).toBe(b.evaluate(event, view, 0));
  });

  it.each([
    [{ kind: "command", names: [], prefix: null, args: [] }, "names"],
    [{ kind: "command", names: ["two words"], prefix: null, args: [] }, "names.0"],
    [{ kind: "regex", source: "(", flags: "" }, "does not compile"],
    [{ kind: "userLevel", min: "admin" }, "min"],
    [{ kind: "cooldown", globalMs: -1, userMs: null, notify: false }, "globalMs"],
    [{ kind: "teleport" }, "kind"],
    [null, "trigger #1"],
  ])("rejects the malformed descriptor %j", (descriptor, part) => {
    let error: unknown;
    try {
      compile([descriptor as TriggerDescriptor]);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(StarStreamerError);
    expect((error as StarStreamerError).code).toBe("SS_TRIGGER_INVALID");
    expect((error as StarStreamerError).message).toContain(part);
    expect((error as StarStreamerError).message).toContain("test:handler");
  });
});
