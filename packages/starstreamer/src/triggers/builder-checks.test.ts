import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { StarStreamerError } from "../errors.ts";
import {
  checkCommand,
  checkCommandName,
  checkCommandPrefix,
  checkCooldown,
  checkKeyword,
  checkRegex,
  checkUserLevel,
  isArgSpec,
} from "./builder-checks.ts";
import {
  argSpecSchema,
  commandNameSchema,
  commandPrefixSchema,
  commandTriggerSchema,
  cooldownTriggerSchema,
  keywordTriggerSchema,
  regexTriggerSchema,
  userLevelTriggerSchema,
} from "./descriptor-schema.ts";
import type { CommandTrigger } from "./descriptors.ts";

/** The issues (path, message) the builders' check raised, or [] when it passed. */
function builderIssues(check: () => unknown): unknown[] {
  try {
    check();
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(StarStreamerError);
    expect((error as StarStreamerError).code).toBe("SS_TRIGGER_INVALID");
    return (error as StarStreamerError).data.issues as unknown[];
  }
}

/** The issues (path, message) the contract's schema finds in `value`, or [] when it accepts it. */
function schemaIssues(schema: z.ZodType, value: unknown): unknown[] {
  const parsed = schema.safeParse(value);
  return parsed.success ? [] : parsed.error.issues.map(({ path, message }) => ({ path, message }));
}

const command = (args: CommandTrigger<unknown>["args"]): CommandTrigger<unknown> => ({
  kind: "command",
  names: ["give"],
  prefix: null,
  args,
});
const arg = (name: string, type: "int" | "rest" | "string", optional = false) => ({ name, type, optional });

describe("the builders' checks, without zod, and the contract's schema", () => {
  it.each([
    ["a name", "greet"],
    ["an empty name", ""],
    ["a name of two words", "two words"],
    ["an upper-case name", "Greet"],
  ])("judge %s alike", (_what, name) => {
    expect(builderIssues(() => checkCommandName(name, "test"))).toEqual(
      schemaIssues(commandNameSchema, name),
    );
  });

  it.each([
    ["a prefix", "?"],
    ["no prefix", ""],
    ["a prefix with a space", "? "],
    ["an upper-case prefix", "A"],
    ["a prefix that is not text", 7],
  ])("judge %s alike", (_what, prefix) => {
    expect(builderIssues(() => checkCommandPrefix(prefix, "test"))).toEqual(
      schemaIssues(commandPrefixSchema, prefix),
    );
  });

  it.each([
    ["an argument spec", { name: "to", type: "user", optional: false }],
    ["a name starting with a digit", { name: "9lives", type: "int", optional: false }],
    ["an unknown type", { name: "x", type: "float", optional: false }],
    ["a non-boolean optional", { name: "x", type: "int", optional: "no" }],
    ["an extra field", { name: "x", type: "int", optional: false, default: 1 }],
    ["a missing field", { name: "x", type: "int" }],
    ["a string", "x:int"],
    ["null", null],
  ])("judge %s alike", (_what, candidate) => {
    expect(isArgSpec(candidate)).toBe(argSpecSchema.safeParse(candidate).success);
  });

  it.each([
    ["arguments in order", [arg("to", "string"), arg("amount", "int"), arg("why", "rest", true)]],
    ["a rest argument before another", [arg("why", "rest"), arg("amount", "int")]],
    ["a required argument after an optional one", [arg("a", "int", true), arg("b", "int")]],
    ["a name declared twice", [arg("a", "int"), arg("a", "string")]],
  ])("judge a command with %s alike", (_what, args) => {
    const trigger = command(args);
    expect(builderIssues(() => checkCommand(trigger, "test"))).toEqual(
      schemaIssues(commandTriggerSchema, trigger),
    );
  });

  it.each([
    ["a pattern with flags", "^(?<n>\\d+)$", "iu"],
    ["a stateful flag", "a", "g"],
    ["an unknown flag", "a", "q"],
    ["flags that are not text", "a", 3],
    ["a pattern that does not compile", "(unclosed", ""],
  ])("judge a regex with %s alike", (_what, source, flags) => {
    expect(builderIssues(() => checkRegex(source, flags, "test"))).toEqual(
      schemaIssues(regexTriggerSchema, { kind: "regex", source, flags }),
    );
  });

  it.each([
    ["words", ["hi", "good morning"], true],
    ["no words", [], true],
    ["an empty word", ["hi", ""], false],
    ["an untrimmed word", [" hi"], true],
    ["an upper-case word", ["Hi"], true],
    ["a word that is not text", [5], true],
    ["words that are not a list", "hi", true],
    ["a non-boolean wholeWord", ["hi"], "yes"],
  ])("judge a keyword with %s alike", (_what, words, wholeWord) => {
    expect(builderIssues(() => checkKeyword(words, wholeWord, "test"))).toEqual(
      schemaIssues(keywordTriggerSchema, { kind: "keyword", words, wholeWord }),
    );
  });

  it.each(["viewer", "broadcaster", "mod", 3])("judge the user level %j alike", (min) => {
    expect(builderIssues(() => checkUserLevel(min, "test"))).toEqual(
      schemaIssues(userLevelTriggerSchema, { kind: "userLevel", min }),
    );
  });

  it.each([
    ["a global window", 5000, null, false],
    ["a per-user window, notifying", null, 250, true],
    ["no window", null, null, false],
    ["a non-boolean notify", 10, null, 1],
  ])("judge a cooldown with %s alike", (_what, globalMs, userMs, notify) => {
    expect(builderIssues(() => checkCooldown(globalMs, userMs, notify, "test"))).toEqual(
      schemaIssues(cooldownTriggerSchema, { kind: "cooldown", globalMs, userMs, notify }),
    );
  });
});
