import { RE2JS } from "re2js";
import { StarStreamerError } from "starstreamer";
import type { RegexMatch } from "starstreamer/internal";
import { RuntimeErrorCodes } from "../errors.ts";
import { requiredLiteral } from "./regex-literal.ts";
import type { RequiredText } from "./text-filter.ts";

/** A regex trigger compiled for the host: matching takes time linear in the text, whatever the pattern. */
export interface LinearRegex {
  /** Whether the pattern is found anywhere in `text` (the fast path: no capture groups). */
  test(text: string): boolean;
  /** The first match with its groups, shaped as `ctx.match.regex`, or `null`. */
  exec(text: string): RegexMatch | null;
  /**
   * A literal every match contains (lower-cased, to look for in the lower-cased text, under the
   * `i` flag), or `null`: a text without it cannot match, so the engine need not run.
   */
  readonly required: RequiredText | null;
}

/** A construct of JavaScript's regex syntax that needs backtracking, found in a pattern. */
interface Unsupported {
  construct: string;
  text: string;
  at: number;
}

const LOOKAROUND: ReadonlyArray<[string, string]> = [
  ["(?<=", "a lookbehind"],
  ["(?<!", "a negative lookbehind"],
  ["(?=", "a lookahead"],
  ["(?!", "a negative lookahead"],
];

/**
 * Rewrites what RE2 reads differently (`[\b]`, a backspace in a JS class) and finds what it cannot
 * run at all: backreferences (`\1`, `\k<name>`) and lookarounds. RE2 would refuse most of these
 * itself, but `re2js`'s syntax translation turns `\k<name>` into the literal text `k<name>`, and
 * its messages do not say which construct is meant.
 */
function prepare(source: string): { source: string; unsupported: Unsupported | null } {
  let out = "";
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === "\\") {
      const next = source[i + 1] ?? "";
      if (inClass && next === "b") {
        out += "\\x08";
        i++;
        continue;
      }
      if (!inClass && next >= "1" && next <= "9") {
        const digits = /^\d+/.exec(source.slice(i + 1))![0];
        return { source, unsupported: { construct: "a backreference", text: `\\${digits}`, at: i } };
      }
      if (!inClass && next === "k" && source[i + 2] === "<") {
        const end = source.indexOf(">", i);
        const text = end === -1 ? "\\k<" : source.slice(i, end + 1);
        return { source, unsupported: { construct: "a named backreference", text, at: i } };
      }
      out += ch + next;
      i++;
      continue;
    }
    if (inClass) {
      if (ch === "]") inClass = false;
    } else if (ch === "[") {
      inClass = true;
      // A `]` right after `[` or `[^` is JS's empty class, not a literal: the class ends there.
      if (source[i + 1] === "]" || (source[i + 1] === "^" && source[i + 2] === "]")) {
        const end = source.indexOf("]", i);
        out += source.slice(i, end + 1);
        i = end;
        inClass = false;
        continue;
      }
    } else if (ch === "(") {
      for (const [opener, construct] of LOOKAROUND) {
        if (source.startsWith(opener, i)) {
          return { source, unsupported: { construct, text: opener, at: i } };
        }
      }
    }
    out += ch;
  }
  return { source: out, unsupported: null };
}

function flagsOf(flags: string, refuse: (reason: string) => never): number {
  let re2Flags = 0;
  for (const flag of flags) {
    switch (flag) {
      case "i":
        re2Flags |= RE2JS.CASE_INSENSITIVE;
        break;
      case "m":
        re2Flags |= RE2JS.MULTILINE;
        break;
      case "s":
        re2Flags |= RE2JS.DOTALL;
        break;
      case "u":
      case "d":
        // RE2 always matches whole code points (what `u` asks for); `d` (match indices) changes
        // nothing in `ctx.match.regex`.
        break;
      case "v":
        refuse("the v flag (class set notation) is not supported; use u");
        break;
      default:
        refuse(`the flag ${JSON.stringify(flag)} is not supported`);
    }
  }
  return re2Flags;
}

/**
 * Compiles a regex trigger (JavaScript syntax, as `regex()` stores it) for RE2's linear-time
 * engine, so that no chat line can make a trigger backtrack on the main thread. What RE2 cannot
 * run is refused here, when the module loads: backreferences, lookahead and lookbehind, the `v`
 * flag, and whatever RE2's parser rejects (a repeat count above 1000, `\p{Script=...}`).
 * Differences that remain: `\s` is ASCII whitespace, `.` and classes match whole code points
 * (as with the `u` flag), and `$`/`^` in `m` mode break lines at `\n` only.
 * @param where names the trigger in the error, e.g. `handler "greeter:dice"`.
 * @throws StarStreamerError `SS_TRIGGER_REGEX_UNSUPPORTED` naming the regex and the construct.
 * @example
 * const dice = compileLinearRegex("(?<n>\\d+)d(?<sides>\\d+)", "i", 'handler "dice:roll"');
 * if (dice.test(text)) console.log(dice.exec(text)?.groups.sides);
 */
export function compileLinearRegex(source: string, flags: string, where: string): LinearRegex {
  const shown = `/${source}/${flags}`;
  const refuse = (reason: string): never => {
    throw new StarStreamerError(
      RuntimeErrorCodes.TRIGGER_REGEX_UNSUPPORTED,
      `${where}: regex ${shown} cannot run in linear time: ${reason}. Triggers run on the host's main ` +
        "thread, where a backtracking regex could freeze the bot; rewrite the pattern without it, " +
        "or test the text in a function trigger (it runs in the module's worker)",
      { data: { source, flags, reason } },
    );
  };
  const re2Flags = flagsOf(flags, refuse);
  const prepared = prepare(source);
  const found = prepared.unsupported;
  if (found !== null) refuse(`it uses ${found.construct} (${found.text} at index ${found.at})`);
  let re: RE2JS;
  try {
    re = RE2JS.compile(RE2JS.translateRegExp(prepared.source), re2Flags);
  } catch (error) {
    return refuse((error as Error).message);
  }
  const lowerCase = (re2Flags & RE2JS.CASE_INSENSITIVE) !== 0;
  const literal = requiredLiteral(prepared.source, lowerCase);
  const required: RequiredText | null = literal === null ? null : { words: [literal], lowerCase };
  return {
    required,
    test: (text) => re.test(text),
    exec(text) {
      const found = re.exec(text) as (Array<string | undefined> & RegExpExecArray) | null;
      if (found === null) return null;
      const groups: Record<string, string> = {};
      if (found.groups) {
        for (const [name, value] of Object.entries(found.groups))
          if (value !== undefined) groups[name] = value;
      }
      return { match: Array.from(found, (part) => part ?? ""), index: found.index, groups };
    },
  };
}
