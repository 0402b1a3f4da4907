import { SdkErrorCodes, StarStreamerError } from "../errors.ts";

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

// One "<number><unit>" part; parts may be separated by spaces ("1m 30s") or not ("1h30m").
const PART = /(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*/y;

const ACCEPTED =
  'a number of milliseconds (e.g. 1500) or a text like "500ms", "30s", "5m", "1h", "1d", "1h30m", "1m 30s"';

function invalid(input: unknown): StarStreamerError {
  const shown = typeof input === "string" ? JSON.stringify(input) : String(input);
  return new StarStreamerError(
    SdkErrorCodes.TRIGGER_INVALID,
    `invalid duration ${shown}: expected ${ACCEPTED}`,
    {
      data: { input: typeof input === "string" || typeof input === "number" ? input : String(input) },
    },
  );
}

/**
 * Turns a duration as people write it into milliseconds (rounded to a whole ms).
 * Accepts a non-negative finite number (already ms) or a text of `<number><unit>` parts with units
 * `ms`, `s`, `m`, `h`, `d`, case-insensitive, optionally separated by spaces.
 * @throws StarStreamerError `SS_TRIGGER_INVALID` for anything else (including a bare number in a
 * text, whose unit would be a guess).
 * @example
 * parseDuration("1m 30s"); // 90000
 * parseDuration(250); // 250
 */
export function parseDuration(input: string | number): number {
  if (typeof input === "number") {
    if (!Number.isFinite(input) || input < 0) throw invalid(input);
    return Math.round(input);
  }
  if (typeof input !== "string") throw invalid(input);
  const text = input.trim().toLowerCase();
  if (text === "") throw invalid(input);
  PART.lastIndex = 0;
  let total = 0;
  while (PART.lastIndex < text.length) {
    const part = PART.exec(text);
    if (part === null) throw invalid(input);
    total += Number(part[1]) * UNIT_MS[part[2]!]!;
  }
  if (!Number.isFinite(total)) throw invalid(input);
  return Math.round(total);
}

const FORMAT_UNITS: Array<[suffix: string, seconds: number]> = [
  ["d", 86_400],
  ["h", 3_600],
  ["m", 60],
  ["s", 1],
];

/**
 * Compact text for a duration, meant for chat ("wait 4m 12s"): the largest unit and the next
 * one when it is not zero. Rounds up to whole seconds, so a remaining 300 ms reads "1s", never "0s".
 * @example
 * formatDuration(252_000); // "4m 12s"
 * formatDuration(3_900_000); // "1h 5m"
 * formatDuration(300); // "1s"
 */
export function formatDuration(ms: number): string {
  if (!(ms > 0)) return "0s";
  if (!Number.isFinite(ms)) return "forever";
  let seconds = Math.ceil(ms / 1000);
  const parts: string[] = [];
  for (const [suffix, size] of FORMAT_UNITS) {
    const count = Math.floor(seconds / size);
    seconds -= count * size;
    if (count > 0) parts.push(`${count}${suffix}`);
    else if (parts.length > 0) break;
    if (parts.length === 2) break;
  }
  return parts.join(" ");
}
