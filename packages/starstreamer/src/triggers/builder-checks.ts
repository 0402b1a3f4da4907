import { SdkErrorCodes, StarStreamerError } from "../errors.ts";
import { USER_LEVELS } from "../events/event.ts";
import type {
  ArgSpec,
  CommandTrigger,
  CooldownTrigger,
  KeywordTrigger,
  RegexTrigger,
  UserLevelTrigger,
} from "./descriptors.ts";
import {
  ARG_NAME,
  ARG_TYPES,
  argListIssues,
  describeTriggerIssues,
  isLowerCase,
  isNormalWord,
  NO_SPACE,
  REGEX_FLAGS,
  regexCompileIssue,
  RULE_MESSAGES as SAYS,
  type TriggerIssue,
} from "./trigger-rules.ts";

/*
 * The checks the trigger builders run on what they built, in the module's worker, with the
 * contract's own rules (trigger-rules.ts) and without zod. The builders make the shape themselves
 * (its type is the schema's), so what is left to check are the values a module author passed in.
 * The host parses every declared trigger with the schema all the same.
 */

/** What a value is, in an "expected ..., received ..." message. */
function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number" && Number.isNaN(value)) return "NaN";
  return typeof value;
}

function expected(type: string, value: unknown): string {
  return `Invalid input: expected ${type}, received ${kindOf(value)}`;
}

/**
 * Returns `value` when no rule is broken.
 * @throws StarStreamerError `SS_TRIGGER_INVALID`: `<where>: <path>: <what is wrong>; ...`.
 */
function passed<T>(value: T, issues: TriggerIssue[], where: string): T {
  if (issues.length === 0) return value;
  throw new StarStreamerError(SdkErrorCodes.TRIGGER_INVALID, `${where}: ${describeTriggerIssues(issues)}`, {
    data: { issues },
  });
}

function wordIssues(name: string, path: PropertyKey[], oneWord: string): TriggerIssue[] {
  const issues: TriggerIssue[] = [];
  if (!NO_SPACE.test(name)) issues.push({ path, message: oneWord });
  if (!isLowerCase(name)) issues.push({ path, message: SAYS.lowerCase });
  return issues;
}

/** A command name or alias, already without prefix and lower-cased. */
export function checkCommandName(name: string, where: string): string {
  const issues = name.length < 1 ? [{ path: [], message: SAYS.nameEmpty }] : [];
  return passed(name, [...issues, ...wordIssues(name, [], SAYS.nameOneWord)], where);
}

/** A pinned command prefix, lower-cased when it is text. */
export function checkCommandPrefix(prefix: unknown, where: string): string {
  if (typeof prefix !== "string")
    return passed("", [{ path: [], message: expected("string", prefix) }], where);
  return passed(prefix, wordIssues(prefix, [], SAYS.prefixOneWord), where);
}

/** True when `candidate` is exactly an argument spec: name, type and optional, nothing else. */
export function isArgSpec(candidate: unknown): candidate is ArgSpec {
  if (typeof candidate !== "object" || candidate === null || Array.isArray(candidate)) return false;
  const { name, type, optional, ...extra } = candidate as Record<string, unknown>;
  return (
    typeof name === "string" &&
    ARG_NAME.test(name) &&
    (ARG_TYPES as readonly unknown[]).includes(type) &&
    typeof optional === "boolean" &&
    Object.keys(extra).length === 0
  );
}

/** A command built from checked names and argument specs: the argument list's own rules. */
export function checkCommand<T extends CommandTrigger<unknown>>(trigger: T, where: string): T {
  const issues = argListIssues(trigger.args).map((issue) => ({ ...issue, path: ["args", ...issue.path] }));
  if (trigger.names.length === 0) issues.push({ path: ["names"], message: SAYS.noName });
  return passed(trigger, issues, where);
}

/** A regex trigger: its flags (as given) and that the pattern compiles with them. */
export function checkRegex(source: string, flags: unknown, where: string): RegexTrigger {
  if (typeof flags !== "string") {
    return passed(
      { kind: "regex", source, flags: "" },
      [{ path: ["flags"], message: expected("string", flags) }],
      where,
    );
  }
  const issues: TriggerIssue[] = REGEX_FLAGS.test(flags)
    ? []
    : [{ path: ["flags"], message: SAYS.regexFlags }];
  const compileIssue = regexCompileIssue(source, flags);
  if (compileIssue !== null) issues.push({ path: ["source"], message: compileIssue });
  return passed({ kind: "regex", source, flags }, issues, where);
}

/** A keyword trigger from the normalised word list (or whatever was given instead of a list). */
export function checkKeyword(words: unknown, wholeWord: unknown, where: string): KeywordTrigger {
  const issues: TriggerIssue[] = [];
  if (!Array.isArray(words)) issues.push({ path: ["words"], message: expected("array", words) });
  else {
    if (words.length === 0) issues.push({ path: ["words"], message: SAYS.noWords });
    words.forEach((word: unknown, i) => {
      const path = ["words", i];
      if (typeof word !== "string") issues.push({ path, message: expected("string", word) });
      else if (word.length < 1) issues.push({ path, message: SAYS.wordEmpty });
      else if (!isNormalWord(word)) issues.push({ path, message: SAYS.wordNormal });
    });
  }
  if (typeof wholeWord !== "boolean") {
    issues.push({ path: ["wholeWord"], message: expected("boolean", wholeWord) });
  }
  return passed({ kind: "keyword", words, wholeWord } as KeywordTrigger, issues, where);
}

/** A user-level trigger: `min` is one of the levels. */
export function checkUserLevel(min: unknown, where: string): UserLevelTrigger {
  const known = (USER_LEVELS as readonly unknown[]).includes(min);
  return passed(
    { kind: "userLevel", min } as UserLevelTrigger,
    known ? [] : [{ path: ["min"], message: SAYS.userLevel }],
    where,
  );
}

/** A cooldown from parsed windows (ms or null): at least one window, a boolean `notify`. */
export function checkCooldown(
  globalMs: number | null,
  userMs: number | null,
  notify: unknown,
  where: string,
): CooldownTrigger {
  const trigger = { kind: "cooldown", globalMs, userMs, notify } as CooldownTrigger;
  if (typeof notify !== "boolean") {
    return passed(trigger, [{ path: ["notify"], message: expected("boolean", notify) }], where);
  }
  const none = globalMs === null && userMs === null;
  return passed(trigger, none ? [{ path: [], message: SAYS.noWindow }] : [], where);
}
