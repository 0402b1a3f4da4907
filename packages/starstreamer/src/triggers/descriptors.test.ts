import { describe, expect, it } from "vitest";
import { StarStreamerError } from "../errors.ts";
import type { TypedEvent } from "../events/event-map.ts";
import {
  type ArgSpec,
  command,
  cooldown,
  keyword,
  regex,
  type Trigger,
  type TriggerDescriptor,
  usageOf,
  userLevel,
} from "./descriptors.ts";

function expectInvalid(build: () => unknown, messagePart?: string): void {
  let error: unknown;
  try {
    build();
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(StarStreamerError);
  expect((error as StarStreamerError).code).toBe("SS_TRIGGER_INVALID");
  if (messagePart !== undefined) expect((error as StarStreamerError).message).toContain(messagePart);
}

describe("command()", () => {
  it("strips one leading ! and lower-cases the name and aliases", () => {
    expect(command("!Give", { aliases: ["Transfer", "!PAY"] })).toEqual({
      kind: "command",
      names: ["give", "transfer", "pay"],
      prefix: null,
      args: [],
    });
    expect(command("!!bang").names).toEqual(["!bang"]);
    expect(command("greet").names).toEqual(["greet"]);
  });

  it("drops an alias that repeats a name", () => {
    expect(command("!give", { aliases: ["GIVE", "pay", "!pay"] }).names).toEqual(["give", "pay"]);
  });

  it("pins a prefix and strips it from the name", () => {
    expect(command("?help", { prefix: "?" })).toMatchObject({ names: ["help"], prefix: "?" });
    expect(command("help", { prefix: "" })).toMatchObject({ names: ["help"], prefix: "" });
  });

  it("parses each argument form", () => {
    expect(
      command("!give", { args: ["user:user", "amount:int", "ratio?:number", "note?", "reason?:rest"] }).args,
    ).toEqual([
      { name: "user", type: "user", optional: false },
      { name: "amount", type: "int", optional: false },
      { name: "ratio", type: "number", optional: true },
      { name: "note", type: "string", optional: true },
      { name: "reason", type: "rest", optional: true },
    ]);
  });

  it("accepts ArgSpec objects and copies them", () => {
    const spec: ArgSpec = { name: "who", type: "user", optional: false };
    const trigger = command("!hug", { args: [spec] });
    expect(trigger.args).toEqual([spec]);
    expect(trigger.args[0]).not.toBe(spec);
  });

  it.each([
    ["", undefined],
    ["!", undefined],
    ["two words", "without spaces"],
    ["tab\there", "without spaces"],
  ])("rejects the name %j", (name, part) => {
    expectInvalid(() => command(name), part);
  });

  it("rejects a bad alias, a bad prefix and non-array options", () => {
    expectInvalid(() => command("!give", { aliases: ["ok", ""] }), "alias");
    expectInvalid(() => command("!give", { prefix: "? " }), "prefix");
    expectInvalid(() => command("!give", { aliases: "pay" as unknown as string[] }), "aliases");
    expectInvalid(() => command("!give", { args: "user" as unknown as string[] }), "args");
  });

  it.each([
    [["amount:integer"], "bad argument"],
    [["9lives"], "bad argument"],
    [[""], "bad argument"],
    [["amount:"], "bad argument"],
    [["a b"], "bad argument"],
    [["reason:rest", "amount:int"], "must be last"],
    [["note?", "amount:int"], "after an optional"],
    [["amount:int", "amount:number"], "declared twice"],
    [[{ name: "x", type: "float", optional: false }], "bad argument"],
    [[42], "bad argument"],
  ])("rejects the args %j", (args, part) => {
    expectInvalid(() => command("!give", { args: args as string[] }), part);
  });
});

describe("regex()", () => {
  it("stores source and flags without g and y", () => {
    expect(regex(/^hi (\w+)$/giy)).toEqual({ kind: "regex", source: "^hi (\\w+)$", flags: "i" });
    expect(regex("^(?<n>\\d+)d$", "gu")).toEqual({ kind: "regex", source: "^(?<n>\\d+)d$", flags: "u" });
    expect(regex(/abc/i, "m").flags).toBe("m");
  });

  it("rejects a pattern or flags that do not compile", () => {
    expectInvalid(() => regex("(unclosed"), "(unclosed");
    expectInvalid(() => regex("ok", "q"), "regex(");
    expectInvalid(() => regex(42 as unknown as string), "RegExp");
  });
});

describe("keyword()", () => {
  it("lower-cases, trims and defaults to whole words", () => {
    expect(keyword(" Hello ")).toEqual({ kind: "keyword", words: ["hello"], wholeWord: true });
    expect(keyword(["Hi", "hi", "Good Morning"], { wholeWord: false })).toEqual({
      kind: "keyword",
      words: ["hi", "good morning"],
      wholeWord: false,
    });
  });

  it("rejects no words, empty words and a non-boolean wholeWord", () => {
    expectInvalid(() => keyword([]), "at least one word");
    expectInvalid(() => keyword(["hi", " "]), "non-empty");
    expectInvalid(() => keyword("hi", { wholeWord: "yes" as unknown as boolean }), "wholeWord");
  });
});

describe("userLevel()", () => {
  it("accepts every level", () => {
    for (const level of ["viewer", "subscriber", "vip", "moderator", "broadcaster"] as const) {
      expect(userLevel(level)).toEqual({ kind: "userLevel", min: level });
    }
  });

  it("rejects an unknown level, naming the valid ones", () => {
    expectInvalid(() => userLevel("mod" as "moderator"), "viewer, subscriber, vip, moderator, broadcaster");
  });
});

describe("cooldown()", () => {
  it("parses durations and defaults notify to false", () => {
    expect(cooldown({ user: "10s" })).toEqual({
      kind: "cooldown",
      globalMs: null,
      userMs: 10_000,
      notify: false,
    });
    expect(cooldown({ global: 500, user: "1m 30s", notify: true })).toEqual({
      kind: "cooldown",
      globalMs: 500,
      userMs: 90_000,
      notify: true,
    });
  });

  it("rejects no window, a bad duration and a non-boolean notify", () => {
    expectInvalid(() => cooldown({}), "global and/or a per-user");
    expectInvalid(() => cooldown({ user: "10 seconds" }), '"10 seconds"');
    expectInvalid(() => cooldown({ global: -1 }), "-1");
    expectInvalid(() => cooldown({ user: "1s", notify: 1 as unknown as boolean }), "notify");
  });
});

describe("usageOf()", () => {
  it("writes required, optional and rest arguments", () => {
    const give = command("!give", { args: ["user:user", "amount:int", "reason?:rest"] });
    expect(usageOf(give, "!")).toBe("!give <user> <amount> [reason...]");
    expect(usageOf(give, "?")).toBe("?give <user> <amount> [reason...]");
    expect(usageOf(command("say", { args: ["text:rest"], prefix: "#" }), "!")).toBe("#say <text...>");
    expect(usageOf(command("!ping"), "!")).toBe("!ping");
  });
});

describe("descriptors as data", () => {
  const all: TriggerDescriptor[] = [
    command("!give", { aliases: ["pay"], args: ["user:user", "amount:int", "reason?:rest"], prefix: "!" }),
    command("greet"),
    regex(/^(?<dice>\d+)d(?<sides>\d+)$/iu),
    keyword(["hello", "good morning"], { wholeWord: false }),
    userLevel("vip"),
    cooldown({ global: "5s", user: "1m", notify: true }),
    cooldown({ user: 250 }),
    { kind: "predicate", index: 0 },
  ];

  it("survive structuredClone unchanged", () => {
    expect(structuredClone(all)).toEqual(all);
  });

  it("survive a JSON round trip unchanged", () => {
    expect(JSON.parse(JSON.stringify(all))).toEqual(all);
  });
});

describe("Trigger", () => {
  it("accepts a predicate typed for one event type next to descriptors", () => {
    const short = (event: TypedEvent<"twitch.chat.message">) => event.data.text.length < 50;
    const triggers: Trigger[] = [command("!roll"), short, async () => true];
    expect(triggers).toHaveLength(3);
  });
});
