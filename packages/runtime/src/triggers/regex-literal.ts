/**
 * Finds text a regex trigger cannot match without, so that the host can skip the regex engine for
 * the many chat lines that lack it. Deliberately conservative: it reads only the top level of the
 * pattern (groups, classes and escapes end a run of literal characters), gives up on anything it
 * does not fully understand, and an answer of `null` only means "always run the regex".
 */

/** Escapes that match one character of a class or nothing at all: they end a literal run. */
const CLASS_ESCAPES = new Set([..."dDsSwWbBnrtfv"]);
const QUANTIFIER = /^\{\d*(?:,\d*)?\}/;

/**
 * Whether a literal character of an `i`-flag pattern keeps its meaning when the text is
 * lower-cased instead: ASCII whose case-insensitive matches all lower-case to the same character.
 * `s` is out (RE2 also matches U+017F LONG S, which `toLowerCase` leaves as it is); `k` stays in
 * (U+212A KELVIN SIGN lower-cases to `k`).
 */
function foldsByLowerCase(ch: string): boolean {
  const code = ch.charCodeAt(0);
  return code >= 0x20 && code < 0x7f && ch !== "s" && ch !== "S";
}

/**
 * The longest run of literal characters that every match of the pattern contains, or `null` when
 * none of at least `minLength` characters could be proven. With `caseInsensitive` (the `i` flag),
 * the run is lower-cased and must be looked for in the lower-cased text (`toLowerCase`); otherwise
 * in the text as written. Only printable ASCII goes into a run.
 * @example
 * requiredLiteral("\\bmix-clip-(\\d{3,})\\b", true); // "mix-clip-"
 * requiredLiteral("hi|hello", false); // null: an alternative at the top level
 */
export function requiredLiteral(source: string, caseInsensitive: boolean, minLength = 1): string | null {
  let best = "";
  let run = "";
  // Whether the last thing read was a literal character appended to `run` (a quantifier after it
  // makes that character optional or repeated: it is taken back out and the run ends).
  let lastWasLiteral = false;
  const endRun = () => {
    if (run.length > best.length) best = run;
    run = "";
    lastWasLiteral = false;
  };
  const literal = (ch: string) => {
    const code = ch.charCodeAt(0);
    if (code < 0x20 || code >= 0x7f || (caseInsensitive && !foldsByLowerCase(ch))) {
      endRun();
      return;
    }
    run += caseInsensitive ? ch.toLowerCase() : ch;
    lastWasLiteral = true;
  };
  const quantifier = () => {
    if (lastWasLiteral) run = run.slice(0, -1);
    endRun();
  };

  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    switch (ch) {
      case "\\": {
        const next = source[i + 1];
        if (next === undefined) return null;
        if (isAsciiPunctuation(next)) {
          literal(next);
        } else if (CLASS_ESCAPES.has(next)) {
          endRun();
        } else {
          // \x.., \u...., \p{..}, \Q..\E, \c., digits: not worth reading, so no answer at all (a
          // `|` further on would make even the runs already read optional).
          return null;
        }
        i += 2;
        continue;
      }
      case "|":
        return null; // an alternative at the top level: no character is required
      case "(": {
        // `(?` other than a plain or named group may set flags for the rest of the pattern.
        if (source[i + 1] === "?" && source[i + 2] !== ":" && source[i + 2] !== "<") {
          return null;
        }
        const end = groupEnd(source, i);
        if (end === -1) return null;
        endRun();
        i = end + 1;
        continue;
      }
      case "[": {
        const end = classEnd(source, i);
        if (end === -1) return null;
        endRun();
        i = end + 1;
        continue;
      }
      case "?":
      case "*":
      case "+":
        quantifier();
        i++;
        continue;
      case "{": {
        const found = QUANTIFIER.exec(source.slice(i));
        if (found === null) return null;
        quantifier();
        i += found[0].length;
        continue;
      }
      case ")":
      case "]":
      case "}":
        return null;
      case ".":
      case "^":
      case "$":
        endRun();
        i++;
        continue;
      default:
        literal(ch);
        i++;
    }
  }
  return pick(best, run, minLength);
}

/** `!`, `-`, `.`, `\\` and the like: an escape that stands for the character itself in JS and RE2. */
function isAsciiPunctuation(ch: string): boolean {
  const code = ch.charCodeAt(0);
  return code > 0x20 && code < 0x7f && !/[A-Za-z0-9]/.test(ch);
}

function pick(best: string, run: string, minLength: number): string | null {
  const longest = run.length > best.length ? run : best;
  return longest.length >= Math.max(1, minLength) ? longest : null;
}

/** Index of the `)` closing the group opened at `start`, or -1. */
function groupEnd(source: string, start: number): number {
  let depth = 0;
  for (let i = start; i < source.length; i++) {
    const ch = source[i];
    if (ch === "\\") {
      i++;
    } else if (ch === "[") {
      const end = classEnd(source, i);
      if (end === -1) return -1;
      i = end;
    } else if (ch === "(") {
      depth++;
    } else if (ch === ")") {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** Index of the `]` closing the class opened at `start`, or -1. */
function classEnd(source: string, start: number): number {
  let i = start + 1;
  if (source[i] === "^") i++;
  // JS: `[]` and `[^]` end right there (RE2 would read `]` as a literal: the caller gave up on
  // the difference already, `prepare` in linear-regex.ts handles it before RE2 sees it).
  if (source[i] === "]") return i;
  for (; i < source.length; i++) {
    const ch = source[i];
    if (ch === "\\") i++;
    else if (ch === "]") return i;
  }
  return -1;
}
