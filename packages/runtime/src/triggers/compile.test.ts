import {
  command,
  keyword,
  regex,
  StarStreamerError,
  type TriggerDescriptor,
  type UserLevel,
  userLevel,
} from "starstreamer";
import { describe, expect, it } from "vitest";
import { createEventView } from "./event-view.ts";
import { chat, chatUser, compile, follow, passed, run } from "./test-harness.ts";

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
    ["!give bob -", '<amount> must be a whole number, got "-"'],
    ["!give bob +5", '<amount> must be a whole number, got "+5"'],
    ["!give bob 5-", '<amount> must be a whole number, got "5-"'],
    ["!give bob 1e3", '<amount> must be a whole number, got "1e3"'],
    ["!give bob \u0663", '<amount> must be a whole number, got "\u0663"'],
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

describe("compileTriggers: required text for the pre-filter", () => {
  it("names a keyword set's words, or the literal a regex requires, whichever is more selective", () => {
    expect(compile([keyword(["hype", "pog"])]).requiredText).toEqual({
      words: ["hype", "pog"],
      lowerCase: true,
    });
    expect(compile([regex(/\bclip-(\d+)/i)]).requiredText).toEqual({ words: ["clip-"], lowerCase: true });
    expect(compile([regex(/Clip-(\d+)/)]).requiredText).toEqual({ words: ["Clip-"], lowerCase: false });
    expect(compile([keyword("gg"), regex(/mix-clip-\d/)]).requiredText).toEqual({
      words: ["mix-clip-"],
      lowerCase: false,
    });
    expect(compile([keyword("highlight"), regex(/mix-clip-\d/)]).requiredText).toEqual({
      words: ["highlight"],
      lowerCase: true,
    });
  });

  it("has none for triggers that read no required text", () => {
    expect(compile([regex(/hi|hello/)]).requiredText).toBeNull();
    expect(compile([userLevel("moderator")]).requiredText).toBeNull();
    expect(compile([]).requiredText).toBeNull();
  });

  it("still matches what RE2 folds together under i when the literal check runs first", () => {
    // RE2 folds U+017F LONG S with s and U+212A KELVIN SIGN with k; the literal check must not hide them.
    const classic = compile([regex(/classic/i)]);
    expect(passed(run(classic, chat("CLA\u017F\u017FIC"))).regex?.match).toEqual(["CLA\u017F\u017FIC"]);
    const kick = compile([regex(/kick/i)]);
    expect(run(kick, chat("\u212Aick")).pass).toBe(true);
    expect(run(kick, chat("kic")).pass).toBe(false);
  });

  it("rejects a text without the regex's literal and passes one with it, in any case under i", () => {
    const clip = compile([regex(/\bmix-clip-(\d{3,})\b/i)]);
    expect(run(clip, chat("see mix clip 123")).pass).toBe(false);
    expect(run(clip, chat("see MIX-CLIP-12")).pass).toBe(false);
    expect(passed(run(clip, chat("see MIX-CLIP-123 now"))).regex?.match).toEqual(["MIX-CLIP-123", "123"]);
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
