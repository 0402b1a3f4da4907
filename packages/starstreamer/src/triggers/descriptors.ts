import type { z } from "zod";
import { SdkErrorCodes, StarStreamerError } from "../errors.ts";
import type { StarEvent, UserLevel } from "../events/event.ts";
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
// Types only: the schema (and zod) stays on the host; the builders check with the same rules
// (builder-checks.ts, trigger-rules.ts), so module workers never load zod for their triggers.
import type {
  argSpecSchema,
  commandTriggerSchema,
  cooldownTriggerSchema,
  keywordTriggerSchema,
  predicateTriggerSchema,
  regexTriggerSchema,
  userLevelTriggerSchema,
} from "./descriptor-schema.ts";
import { parseDuration } from "./duration.ts";
import type { ARG_TYPES } from "./trigger-rules.ts";

/** One of the argument types (`string`, `int`, `number`, `user`, `rest`). */
export type ArgType = (typeof ARG_TYPES)[number];

/**
 * One argument of a command, in order. `user` is a chat login (a leading `@` is dropped, lower-cased);
 * `rest` takes the remaining text and must come last.
 */
export type ArgSpec = z.infer<typeof argSpecSchema>;

declare const PARAMS: unique symbol;

/**
 * A chat command: the first word of the message is a prefix plus one of `names`. `P` is the type of
 * `ctx.match.command.params` its argument specs give (a compile-time tag; it never exists at run time).
 */
export type CommandTrigger<P = CommandParams> = z.infer<typeof commandTriggerSchema> & {
  readonly [PARAMS]?: P;
};
/** A regular expression tested against the chat message text. */
export type RegexTrigger = z.infer<typeof regexTriggerSchema>;
/** Any of `words` appearing in the chat message text (case-insensitive). */
export type KeywordTrigger = z.infer<typeof keywordTriggerSchema>;
/** The author holds at least `min` (viewer < subscriber < vip < moderator < broadcaster). */
export type UserLevelTrigger = z.infer<typeof userLevelTriggerSchema>;
/** A pause after the handler runs: for everyone (`globalMs`), per user (`userMs`), or both. */
export type CooldownTrigger = z.infer<typeof cooldownTriggerSchema>;
/** Stands in for a function trigger, which runs in the module's worker; `index` points at it there. */
export type PredicateTrigger = z.infer<typeof predicateTriggerSchema>;

/**
 * A trigger as data (see {@link triggerDescriptorSchema}, the one definition): plain JSON, so it
 * crosses to the host, which evaluates it on the main thread before waking a module's worker.
 */
export type TriggerDescriptor =
  | CommandTrigger<unknown>
  | RegexTrigger
  | KeywordTrigger
  | UserLevelTrigger
  | CooldownTrigger
  | PredicateTrigger;

/** Command parameters when nothing more precise is known: every argument by name. */
export type CommandParams = Record<string, string | number | undefined>;

type ArgValue<T extends string> = Lowercase<T> extends "int" | "number" ? number : string;
type ParsedArg<S extends string> = S extends `${infer N}?:${infer T}`
  ? [N, true, T]
  : S extends `${infer N}?`
    ? [N, true, "string"]
    : S extends `${infer N}:${infer T}`
      ? [N, false, T]
      : [S, false, "string"];
type ArgName<S> = S extends string ? ParsedArg<S>[0] : S extends { name: infer N extends string } ? N : never;
type Maybe<V, O> = O extends true ? V | undefined : V;
type ArgParam<S> = S extends string
  ? ParsedArg<S> extends [string, infer O, infer T extends string]
    ? Maybe<ArgValue<T>, O>
    : never
  : S extends { type: infer T extends string; optional: infer O }
    ? Maybe<ArgValue<T>, O>
    : never;

/**
 * The `ctx.match.command.params` that argument specs give, computed from their text:
 * `["to:user", "amount:int", "reason?:rest"]` gives `{ to: string; amount: number; reason: string | undefined }`.
 * Specs only known at run time (a `string[]` variable) give {@link CommandParams}.
 */
export type ParamsOf<A extends readonly unknown[]> = string extends A[number]
  ? CommandParams
  : { [S in A[number] as ArgName<S>]: ArgParam<S> };

/**
 * A trigger written as a function. It runs in the module's worker after every descriptor on the
 * same handler passed on the host; the handler runs when it returns (or resolves to) `true`.
 * @example
 * on("twitch.chat.message", [command("!roll"), (event) => event.data.text.length < 50], roll);
 */
// The method-shorthand form keeps parameters bivariant, so a predicate typed for one event type
// (e.g. `TypedEvent<"twitch.chat.message">`) is accepted where a generic trigger is expected.
export type TriggerPredicate<E extends StarEvent = StarEvent, C = unknown> = {
  bivarianceHack(event: E, ctx: C): boolean | Promise<boolean>;
}["bivarianceHack"];

/** What `on()` accepts as a trigger: a descriptor from a builder here, or a predicate function. */
export type Trigger<E extends StarEvent = StarEvent, C = unknown> =
  | TriggerDescriptor
  | TriggerPredicate<E, C>;

function invalid(message: string, data: Record<string, unknown> = {}): StarStreamerError {
  return new StarStreamerError(SdkErrorCodes.TRIGGER_INVALID, message, { data });
}

const ARG_SPEC = /^([^?:]*)(\?)?(?::(.*))?$/;

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Drops the pinned prefix (or one leading `!`) and lower-cases; the contract's rules check the rest. */
function normalizeName(raw: unknown, what: string, prefix: string | null): string {
  if (typeof raw !== "string") throw invalid(`command(): ${what} must be a string, got ${typeof raw}`);
  let name = raw;
  if (prefix !== null && prefix !== "" && name.startsWith(prefix)) name = name.slice(prefix.length);
  else if (name.startsWith("!")) name = name.slice(1);
  return checkCommandName(name.toLowerCase(), `command(): ${what} ${JSON.stringify(raw)}`);
}

/** `"name"`, `"name:type"` or `"name?:type"` to an {@link ArgSpec}; an object is checked as it is. */
function toArgSpec(spec: unknown, command: string): ArgSpec {
  let candidate: unknown = spec;
  if (typeof spec === "string") {
    const parts = ARG_SPEC.exec(spec.trim());
    candidate = parts
      ? {
          name: parts[1] ?? "",
          type: (parts[3] ?? "string").trim().toLowerCase(),
          optional: parts[2] === "?",
        }
      : null;
  }
  if (isArgSpec(candidate))
    return { name: candidate.name, type: candidate.type, optional: candidate.optional };
  throw invalid(
    `command("${command}"): bad argument ${safeJson(spec)}; write "name", "name:type" or "name?:type" ` +
      `(optional), with type one of string, int, number, user, rest`,
    { command, arg: safeJson(spec) },
  );
}

/**
 * Matches chat messages whose first word is the prefix plus `name` (or an alias), case-insensitive,
 * and parses the following words into `ctx.match.command.params`, typed from the specs. One leading
 * `!` is dropped from names: the host applies its configured prefix, `!` by default. `prefix` pins a
 * prefix regardless of the host's setting.
 *
 * Argument specs: `"name"` (text), `"name:int"`, `"name:number"`, `"name:user"` (a login; `@` is
 * dropped), `"name:rest"` (the rest of the message, last only); `?` marks optional, e.g.
 * `"reason?:rest"`. Optional arguments come after required ones. When a required argument is
 * missing or malformed, the handler is not run and the host can answer with the usage text.
 * @example
 * on("twitch.chat.message", command("!dice", { args: ["sides?:int"] }), async (event, ctx) => {
 *   const sides = ctx.match.command.params.sides ?? 6; // number | undefined
 * });
 */
export function command<const A extends readonly (string | ArgSpec)[] = []>(
  name: string,
  options: { aliases?: readonly string[]; args?: A; prefix?: string } = {},
): CommandTrigger<ParamsOf<A>> {
  let prefix: string | null = null;
  if (options.prefix !== undefined) {
    prefix = checkCommandPrefix(
      typeof options.prefix === "string" ? options.prefix.toLowerCase() : options.prefix,
      `command(${safeJson(name)}): prefix`,
    );
  }
  const main = normalizeName(name, "the name", prefix);
  const aliases: unknown = options.aliases ?? [];
  if (!Array.isArray(aliases)) throw invalid(`command("${main}"): aliases must be an array of names`);
  const names = [main];
  for (const alias of aliases) {
    const normalized = normalizeName(alias, "alias", prefix);
    if (!names.includes(normalized)) names.push(normalized);
  }
  const rawArgs: unknown = options.args ?? [];
  if (!Array.isArray(rawArgs)) throw invalid(`command("${main}"): args must be an array, e.g. ["user:user"]`);
  const args = rawArgs.map((spec: unknown) => toArgSpec(spec, main));
  return checkCommand({ kind: "command", names, prefix, args }, `command("${main}")`);
}

/**
 * Matches chat messages the regular expression finds something in; groups arrive in
 * `ctx.match.regex`. The `g` and `y` flags are dropped since they would make matching depend on
 * the previous message.
 * @example
 * on("twitch.chat.message", regex(/^(?<dice>\d+)d(?<sides>\d+)$/), async (event, ctx) => {
 *   const { dice, sides } = ctx.match.regex.groups;
 * });
 */
export function regex(pattern: RegExp | string, flags?: string): RegexTrigger {
  let source: string;
  let allFlags: unknown;
  if (pattern instanceof RegExp) {
    source = pattern.source;
    allFlags = flags ?? pattern.flags;
  } else if (typeof pattern === "string") {
    source = pattern;
    allFlags = flags ?? "";
  } else {
    throw invalid(`regex(): expected a RegExp or a pattern string, got ${typeof pattern}`);
  }
  const kept = typeof allFlags === "string" ? allFlags.replace(/[gy]/g, "") : allFlags;
  return checkRegex(source, kept, `regex(${safeJson(source)}, ${safeJson(allFlags)})`);
}

/**
 * Matches chat messages that contain any of the words, case-insensitive. By default a word must
 * stand alone ("hi" does not match "this"); `wholeWord: false` matches anywhere in the text.
 * @example
 * on("twitch.chat.message", keyword(["hello", "good morning"]), greet);
 */
export function keyword(
  words: string | readonly string[],
  options: { wholeWord?: boolean } = {},
): KeywordTrigger {
  const list: unknown = typeof words === "string" ? [words] : words;
  const normalized: unknown[] = [];
  if (Array.isArray(list)) {
    for (const word of list) {
      const value = typeof word === "string" ? word.trim().toLowerCase() : word;
      if (!normalized.includes(value)) normalized.push(value);
    }
  }
  return checkKeyword(Array.isArray(list) ? normalized : list, options.wholeWord ?? true, "keyword()");
}

/**
 * Passes only authors holding at least `min`: viewer < subscriber < vip < moderator < broadcaster.
 * @example
 * on("twitch.chat.message", [command("!so", { args: ["user:user"] }), userLevel("moderator")], shoutout);
 */
export function userLevel(min: UserLevel): UserLevelTrigger {
  return checkUserLevel(min, `userLevel(${safeJson(min)})`);
}

/**
 * Lets a handler run at most once per window: for everyone (`global`), per user (`user`), or both.
 * Durations are ms or texts like `"30s"`, `"5m"`, `"1m 30s"`. The window starts when the handler is
 * let through. With `notify: true` the handler still runs while cooling down and sees
 * `ctx.match.cooldown` (e.g. to answer "wait 12s"); otherwise the message is ignored.
 * @example
 * on("twitch.chat.message", [command("!hug"), cooldown({ global: "5s", user: "1m" })], hug);
 */
export function cooldown(options: {
  global?: string | number;
  user?: string | number;
  notify?: boolean;
}): CooldownTrigger {
  const given = options ?? {};
  return checkCooldown(
    given.global === undefined ? null : parseDuration(given.global),
    given.user === undefined ? null : parseDuration(given.user),
    given.notify ?? false,
    "cooldown()",
  );
}

/**
 * The usage line of a command trigger, shown in chat when arguments are missing or malformed:
 * required arguments in `<>`, optional ones in `[]`, `...` for the rest of the message.
 * @example
 * usageOf(command("!give", { args: ["user:user", "amount:int", "reason?:rest"] }), "!");
 * // "!give <user> <amount> [reason...]"
 */
export function usageOf(descriptor: CommandTrigger<unknown>, prefix: string): string {
  let text = (descriptor.prefix ?? prefix) + descriptor.names[0];
  for (const arg of descriptor.args) {
    const label = arg.type === "rest" ? `${arg.name}...` : arg.name;
    text += arg.optional ? ` [${label}]` : ` <${label}>`;
  }
  return text;
}
