import { USER_LEVELS } from "../events/event.ts";

/**
 * The value rules of the trigger contract, without zod: the contract's schema
 * (descriptor-schema.ts, on the host) and the builders (descriptors.ts, in every module worker)
 * both check with these, so they cannot disagree. The builders stay free of zod at run time: the
 * whole of zod cost each module worker ~10 MB of memory (bench `worker_rss_mb`).
 */

/** The kinds of value a command argument can hold. */
export const ARG_TYPES = ["string", "int", "number", "user", "rest"] as const;

/** One word: no white space at all. */
export const NO_SPACE = /^\S*$/;

/** A command argument's name: it becomes a key of `ctx.match.command.params`. */
export const ARG_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Regex flags a trigger keeps (`g` and `y` make matching depend on the previous message). */
export const REGEX_FLAGS = /^[dimsuv]*$/;

/** True when `text` is already lower-case. */
export const isLowerCase = (text: string): boolean => text === text.toLowerCase();

/** True when a keyword is stored as the contract wants it: trimmed and lower-case. */
export const isNormalWord = (word: string): boolean => word === word.trim() && isLowerCase(word);

/** What each rule says when it is broken (the `message` of an issue). */
export const RULE_MESSAGES = {
  nameEmpty: 'must not be empty, e.g. "!greet" or "greet"',
  nameOneWord: 'must be one word without spaces, e.g. "!greet" or "greet"',
  lowerCase: "must be lower-case",
  prefixOneWord: 'must be a string without spaces, e.g. "?"',
  argName: "must start with a letter or _ (then letters, digits, _ or -)",
  noName: "give the command a name",
  regexFlags: "flags may be d, i, m, s, u or v (g and y are dropped)",
  wordEmpty: "every word must be non-empty text",
  wordNormal: "words are stored trimmed and lower-case",
  noWords: 'give at least one word, e.g. keyword("hello") or keyword(["hi", "hello"])',
  userLevel: `expected one of ${USER_LEVELS.join(", ")}`,
  noWindow: 'give a global and/or a per-user window, e.g. cooldown({ user: "10s" })',
} as const;

/** One broken rule: where in the descriptor (`path`) and what is wrong. */
export interface TriggerIssue {
  path: PropertyKey[];
  message: string;
}

/** A command argument as the list rules see it. */
interface ArgLike {
  name: string;
  type: string;
  optional: boolean;
}

/** The rules of an argument list: optional arguments come last, `rest` is the very last, no name repeats. */
export function argListIssues(args: readonly ArgLike[]): TriggerIssue[] {
  const issues: TriggerIssue[] = [];
  const seen = new Set<string>();
  let sawOptional = false;
  args.forEach((arg, i) => {
    if (seen.has(arg.name)) {
      issues.push({ path: [i, "name"], message: `argument "${arg.name}" is declared twice` });
    }
    seen.add(arg.name);
    if (arg.type === "rest" && i !== args.length - 1) {
      issues.push({
        path: [i],
        message: `"${arg.name}:rest" takes the rest of the message and must be last`,
      });
    }
    if (arg.optional) sawOptional = true;
    else if (sawOptional) {
      issues.push({
        path: [i],
        message: `required argument "${arg.name}" comes after an optional one; put optional arguments last`,
      });
    }
  });
  return issues;
}

/** Why a regex trigger's pattern does not compile, or null when it does. */
export function regexCompileIssue(source: string, flags: string): string | null {
  try {
    new RegExp(source, flags);
    return null;
  } catch (error) {
    return `regex ${JSON.stringify(source)} does not compile: ${(error as Error).message}`;
  }
}

/** `<path>: <message>; ...`: what an `SS_TRIGGER_INVALID` error says is wrong. */
export function describeTriggerIssues(issues: readonly TriggerIssue[]): string {
  return issues
    .map((issue) => `${issue.path.map(String).join(".") || "(trigger)"}: ${issue.message}`)
    .join("; ");
}
