import { SdkErrorCodes, StarStreamerError } from "../errors.ts";
import { type StarEvent, USER_LEVELS, type UserLevel } from "../events/event.ts";
import { parseDuration } from "./duration.ts";

/** The kinds of value a command argument can hold. */
export const ARG_TYPES = ["string", "int", "number", "user", "rest"] as const;
/** One of {@link ARG_TYPES}. */
export type ArgType = (typeof ARG_TYPES)[number];

/**
 * One argument of a command, in order. `user` is a chat login (a leading `@` is dropped, lower-cased);
 * `rest` takes the remaining text and must come last.
 */
export interface ArgSpec {
  name: string;
  type: ArgType;
  optional: boolean;
}

/** A chat command: the first word of the message is a prefix plus one of `names`. */
export interface CommandTrigger {
  kind: "command";
  /** Lower-cased, without prefix; the first is the main name (used in usage text), the rest aliases. */
  names: string[];
  /** A pinned prefix, or `null` for the host's configured prefix (`!` unless configured). */
  prefix: string | null;
  args: ArgSpec[];
}

/** A regular expression tested against the chat message text. */
export interface RegexTrigger {
  kind: "regex";
  source: string;
  /** Never contains `g` or `y`: those make `test` stateful across messages. */
  flags: string;
}

/** Any of `words` appearing in the chat message text (case-insensitive). */
export interface KeywordTrigger {
  kind: "keyword";
  /** Lower-cased. */
  words: string[];
  /** When true, "hi" matches "hi there" but not "this". */
  wholeWord: boolean;
}

/** The author holds at least `min` (see {@link USER_LEVELS}). */
export interface UserLevelTrigger {
  kind: "userLevel";
  min: UserLevel;
}

/** A pause after the handler runs: for everyone (`globalMs`), per user (`userMs`), or both. */
export interface CooldownTrigger {
  kind: "cooldown";
  globalMs: number | null;
  userMs: number | null;
  /** When true, the handler still runs while cooling down, with `ctx.match.cooldown` telling it so. */
  notify: boolean;
}

/** Stands in for a function trigger, which runs in the module's worker; `index` points at it there. */
export interface PredicateTrigger {
  kind: "predicate";
  index: number;
}

/**
 * A trigger as data: plain JSON, so it survives `structuredClone` and crosses to the host, which
 * evaluates it on the main thread before waking a module's worker.
 */
export type TriggerDescriptor =
  | CommandTrigger
  | RegexTrigger
  | KeywordTrigger
  | UserLevelTrigger
  | CooldownTrigger
  | PredicateTrigger;

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

function invalid(message: string, data: Record<string, unknown> = {}, cause?: unknown): StarStreamerError {
  return new StarStreamerError(
    SdkErrorCodes.TRIGGER_INVALID,
    message,
    cause === undefined ? { data } : { data, cause },
  );
}

const WHITESPACE = /\s/;
const ARG_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const ARG_SPEC = /^([^?:]*)(\?)?(?::(.*))?$/;

function normalizeName(raw: unknown, what: string, prefix: string | null): string {
  if (typeof raw !== "string") throw invalid(`command(): ${what} must be a string, got ${typeof raw}`);
  let name = raw;
  if (prefix !== null && prefix !== "" && name.startsWith(prefix)) name = name.slice(prefix.length);
  else if (name.startsWith("!")) name = name.slice(1);
  if (name === "" || WHITESPACE.test(name)) {
    throw invalid(
      `command(): ${what} ${JSON.stringify(raw)} must be one word without spaces, e.g. "!greet" or "greet"`,
      { name: raw },
    );
  }
  return name.toLowerCase();
}

function parseArgString(spec: string, command: string): ArgSpec {
  const parts = ARG_SPEC.exec(spec.trim());
  const name = parts?.[1] ?? "";
  const type = (parts?.[3] ?? "string").trim().toLowerCase();
  if (!parts || !ARG_NAME.test(name) || !(ARG_TYPES as readonly string[]).includes(type)) {
    throw invalid(
      `command("${command}"): bad argument ${JSON.stringify(spec)}; write "name", "name:type" or "name?:type" ` +
        `(optional), with type one of ${ARG_TYPES.join(", ")}`,
      { command, arg: spec },
    );
  }
  return { name, type: type as ArgType, optional: parts[2] === "?" };
}

function normalizeArg(spec: unknown, command: string): ArgSpec {
  if (typeof spec === "string") return parseArgString(spec, command);
  const candidate = spec as Partial<ArgSpec> | null;
  if (
    candidate === null ||
    typeof candidate !== "object" ||
    typeof candidate.name !== "string" ||
    !ARG_NAME.test(candidate.name) ||
    !(ARG_TYPES as readonly string[]).includes(candidate.type as string) ||
    (candidate.optional !== undefined && typeof candidate.optional !== "boolean")
  ) {
    throw invalid(
      `command("${command}"): bad argument ${safeJson(spec)}; expected "name:type" or { name, type, optional }`,
      { command },
    );
  }
  return { name: candidate.name, type: candidate.type as ArgType, optional: candidate.optional === true };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * Matches chat messages whose first word is the prefix plus `name` (or an alias), case-insensitive,
 * and parses the following words into `ctx.match.command.params`. One leading `!` is dropped from
 * names: the host applies its configured prefix, `!` by default. `prefix` pins a prefix regardless
 * of the host's setting.
 *
 * Argument specs: `"name"` (text), `"name:int"`, `"name:number"`, `"name:user"` (a login; `@` is
 * dropped), `"name:rest"` (the rest of the message, last only); `?` marks optional, e.g.
 * `"reason?:rest"`. Optional arguments come after required ones. When a required argument is
 * missing or malformed, the handler is not run and the host can answer with the usage text.
 * @example
 * on("twitch.chat.message", command("!give", { aliases: ["transfer"], args: ["user:user", "amount:int"] }),
 *   async (event, ctx) => {
 *     const { user, amount } = ctx.match.command!.params;
 *   });
 */
export function command(
  name: string,
  options: { aliases?: string[]; args?: string[] | ArgSpec[]; prefix?: string } = {},
): CommandTrigger {
  let prefix: string | null = null;
  if (options.prefix !== undefined) {
    if (typeof options.prefix !== "string" || WHITESPACE.test(options.prefix)) {
      throw invalid(`command(${safeJson(name)}): prefix must be a string without spaces, e.g. "?"`, {
        prefix: options.prefix,
      });
    }
    prefix = options.prefix;
  }
  const main = normalizeName(name, "the name", prefix);
  const aliases = options.aliases ?? [];
  if (!Array.isArray(aliases)) throw invalid(`command("${main}"): aliases must be an array of names`);
  const names = [main];
  for (const alias of aliases) {
    const normalized = normalizeName(alias, "alias", prefix);
    if (!names.includes(normalized)) names.push(normalized);
  }

  const rawArgs: unknown = options.args ?? [];
  if (!Array.isArray(rawArgs)) throw invalid(`command("${main}"): args must be an array, e.g. ["user:user"]`);
  const args = rawArgs.map((spec: unknown) => normalizeArg(spec, main));
  const seen = new Set<string>();
  let sawOptional = false;
  args.forEach((arg, i) => {
    if (seen.has(arg.name)) throw invalid(`command("${main}"): argument "${arg.name}" is declared twice`);
    seen.add(arg.name);
    if (arg.type === "rest" && i !== args.length - 1) {
      throw invalid(`command("${main}"): "${arg.name}:rest" takes the rest of the message and must be last`);
    }
    if (arg.optional) sawOptional = true;
    else if (sawOptional) {
      throw invalid(
        `command("${main}"): required argument "${arg.name}" comes after an optional one; put optional arguments last`,
      );
    }
  });
  return { kind: "command", names, prefix, args };
}

/**
 * Matches chat messages the regular expression finds something in; groups arrive in
 * `ctx.match.regex`. The `g` and `y` flags are dropped since they would make matching depend on
 * the previous message.
 * @example
 * on("twitch.chat.message", regex(/^(?<dice>\d+)d(?<sides>\d+)$/), async (event, ctx) => {
 *   const { dice, sides } = ctx.match.regex!.groups;
 * });
 */
export function regex(pattern: RegExp | string, flags?: string): RegexTrigger {
  let source: string;
  let allFlags: string;
  if (pattern instanceof RegExp) {
    source = pattern.source;
    allFlags = flags ?? pattern.flags;
  } else if (typeof pattern === "string") {
    source = pattern;
    allFlags = flags ?? "";
  } else {
    throw invalid(`regex(): expected a RegExp or a pattern string, got ${typeof pattern}`);
  }
  if (typeof allFlags !== "string") throw invalid(`regex(): flags must be a string like "i"`);
  const kept = allFlags.replace(/[gy]/g, "");
  try {
    new RegExp(source, kept);
  } catch (error) {
    throw invalid(
      `regex(${safeJson(source)}, ${safeJson(allFlags)}): ${(error as Error).message}`,
      { source, flags: allFlags },
      error,
    );
  }
  return { kind: "regex", source, flags: kept };
}

/**
 * Matches chat messages that contain any of the words, case-insensitive. By default a word must
 * stand alone ("hi" does not match "this"); `wholeWord: false` matches anywhere in the text.
 * @example
 * on("twitch.chat.message", keyword(["hello", "good morning"]), greet);
 */
export function keyword(words: string | string[], options: { wholeWord?: boolean } = {}): KeywordTrigger {
  const list = typeof words === "string" ? [words] : words;
  if (!Array.isArray(list) || list.length === 0) {
    throw invalid('keyword(): give at least one word, e.g. keyword("hello") or keyword(["hi", "hello"])');
  }
  const normalized: string[] = [];
  for (const word of list) {
    if (typeof word !== "string" || word.trim() === "") {
      throw invalid(`keyword(): every word must be non-empty text, got ${safeJson(word)}`, {
        word: safeJson(word),
      });
    }
    const lower = word.trim().toLowerCase();
    if (!normalized.includes(lower)) normalized.push(lower);
  }
  const wholeWord = options.wholeWord ?? true;
  if (typeof wholeWord !== "boolean") throw invalid("keyword(): wholeWord must be true or false");
  return { kind: "keyword", words: normalized, wholeWord };
}

/**
 * Passes only authors holding at least `min`: viewer < subscriber < vip < moderator < broadcaster.
 * @example
 * on("twitch.chat.message", [command("!so", { args: ["user:user"] }), userLevel("moderator")], shoutout);
 */
export function userLevel(min: UserLevel): UserLevelTrigger {
  if (!(USER_LEVELS as readonly unknown[]).includes(min)) {
    throw invalid(`userLevel(${safeJson(min)}): expected one of ${USER_LEVELS.join(", ")}`, {
      min: safeJson(min),
    });
  }
  return { kind: "userLevel", min };
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
  if (
    options === null ||
    typeof options !== "object" ||
    (options.global === undefined && options.user === undefined)
  ) {
    throw invalid('cooldown(): give a global and/or a per-user window, e.g. cooldown({ user: "10s" })');
  }
  const notify = options.notify ?? false;
  if (typeof notify !== "boolean") throw invalid("cooldown(): notify must be true or false");
  return {
    kind: "cooldown",
    globalMs: options.global === undefined ? null : parseDuration(options.global),
    userMs: options.user === undefined ? null : parseDuration(options.user),
    notify,
  };
}

/**
 * The usage line of a command trigger, shown in chat when arguments are missing or malformed:
 * required arguments in `<>`, optional ones in `[]`, `...` for the rest of the message.
 * @example
 * usageOf(command("!give", { args: ["user:user", "amount:int", "reason?:rest"] }), "!");
 * // "!give <user> <amount> [reason...]"
 */
export function usageOf(descriptor: CommandTrigger, prefix: string): string {
  let text = (descriptor.prefix ?? prefix) + descriptor.names[0];
  for (const arg of descriptor.args) {
    const label = arg.type === "rest" ? `${arg.name}...` : arg.name;
    text += arg.optional ? ` [${label}]` : ` <${label}>`;
  }
  return text;
}
