const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (format === undefined) {
    // en-CA writes dates as YYYY-MM-DD.
    format = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/**
 * The calendar day (`YYYY-MM-DD`) that `epochMs` falls on in `timeZone`.
 * @example dayIn(Date.parse("2026-01-01T23:30:00Z"), "Europe/Berlin"); // "2026-01-02"
 */
export function dayIn(epochMs: number, timeZone: string): string {
  const parts = formatter(timeZone).formatToParts(new Date(epochMs));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}`;
}

/**
 * The day before a `YYYY-MM-DD` day (calendar arithmetic, no time zone involved).
 * @example previousDay("2026-03-01"); // "2026-02-28"
 */
export function previousDay(day: string): string {
  const [year, month, date] = day.split("-").map(Number);
  const utc = new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, (date ?? 1) - 1));
  return utc.toISOString().slice(0, 10);
}

/**
 * Milliseconds from `epochMs` until the next calendar day begins in `timeZone`,
 * found by bisection to the millisecond, so daylight saving days of 23 or 25 hours come out right.
 */
export function msUntilNextDay(epochMs: number, timeZone: string): number {
  const today = dayIn(epochMs, timeZone);
  let lo = epochMs; // still today
  let hi = epochMs + 26 * 3_600_000; // surely another day
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (dayIn(mid, timeZone) === today) lo = mid;
    else hi = mid;
  }
  return hi - epochMs;
}
