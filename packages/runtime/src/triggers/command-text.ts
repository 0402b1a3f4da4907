import type { ArgSpec } from "starstreamer";

/**
 * How a chat line splits into a command and its arguments, and how the arguments parse: the one
 * definition the host's triggers (`compile.ts`, through `event-view.ts`) and the module worker
 * (rebuilding `ctx.match.command` from the event's text, `command-match.ts`) both use, so that
 * the two always agree. Imported by module workers: no imports but types.
 */

/** A chat line's words after the first: each word as written, and where it starts in the text. */
export interface ArgWords {
  readonly tokens: readonly string[];
  readonly offsets: readonly number[];
}

const NO_WORDS: ArgWords = Object.freeze({ tokens: Object.freeze([]), offsets: Object.freeze([]) });
const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?$/i;
const SPACE = /\s/;

/** Whether a character code is whitespace as `\s` means it. */
export function isWhitespace(code: number): boolean {
  // The ASCII fast path covers chat; anything else asks the regex engine what \s means.
  if (code === 32 || (code >= 9 && code <= 13)) return true;
  if (code < 128) return false;
  return SPACE.test(String.fromCharCode(code));
}

/** Where the first word of `text` starts (leading whitespace skipped). */
export function firstWordStart(text: string): number {
  let start = 0;
  while (start < text.length && isWhitespace(text.charCodeAt(start))) start++;
  return start;
}

/** Where the word starting at `start` ends (the index after its last character). */
export function wordEnd(text: string, start: number): number {
  let end = start;
  while (end < text.length && !isWhitespace(text.charCodeAt(end))) end++;
  return end;
}

/** The words of `text` from `from` on (after the command word), by a scan of character codes. */
export function argWords(text: string, from: number): ArgWords {
  // A scan by character code, not a global regex: `exec` builds a match array per word.
  const tokens: string[] = [];
  const offsets: number[] = [];
  const length = text.length;
  let at = from;
  while (at < length) {
    while (at < length && isWhitespace(text.charCodeAt(at))) at++;
    if (at === length) break;
    const start = at;
    at = wordEnd(text, at);
    tokens.push(text.slice(start, at));
    offsets.push(start);
  }
  return tokens.length === 0 ? NO_WORDS : { tokens, offsets };
}

/** The text after the command word, trimmed: from the first argument's start to the end, trimmed. */
export function restOf(text: string, words: ArgWords): string {
  const first = words.offsets[0];
  return first === undefined ? "" : text.slice(first).trimEnd();
}

/** `/^-?\d+$/` without the regex engine (an argument is checked on every matching command). */
function isIntText(token: string): boolean {
  const start = token.charCodeAt(0) === 45 ? 1 : 0; // "-"
  if (start === token.length) return false;
  for (let i = start; i < token.length; i++) {
    const code = token.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

/**
 * Parses a command's arguments from its words into `params` (by name, per type; a missing optional
 * one is `undefined`; a `rest` argument takes the text from its word on, trimmed). Returns the
 * error text of the first bad or missing argument, or `null`.
 */
export function parseArgs(
  args: readonly ArgSpec[],
  text: string,
  words: ArgWords,
  params: Record<string, string | number | undefined>,
): string | null {
  const tokens = words.tokens;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const token = tokens[i];
    if (arg.type === "rest") {
      const rest = token === undefined ? "" : text.slice(words.offsets[i]).trimEnd();
      if (rest === "" && !arg.optional) return `missing <${arg.name}...>`;
      params[arg.name] = rest === "" ? undefined : rest;
      continue;
    }
    if (token === undefined) {
      if (!arg.optional) return `missing <${arg.name}>`;
      params[arg.name] = undefined;
      continue;
    }
    switch (arg.type) {
      case "int": {
        const value = Number(token);
        if (!isIntText(token) || !Number.isSafeInteger(value)) {
          return `<${arg.name}> must be a whole number, got ${JSON.stringify(token)}`;
        }
        params[arg.name] = value;
        break;
      }
      case "number": {
        const value = Number(token);
        if (!NUMBER.test(token) || !Number.isFinite(value)) {
          return `<${arg.name}> must be a number, got ${JSON.stringify(token)}`;
        }
        params[arg.name] = value;
        break;
      }
      case "user": {
        const login = (token.startsWith("@") ? token.slice(1) : token).toLowerCase();
        if (login === "") return `<${arg.name}> must be a user name, got ${JSON.stringify(token)}`;
        params[arg.name] = login;
        break;
      }
      default:
        params[arg.name] = token;
    }
  }
  return null;
}
