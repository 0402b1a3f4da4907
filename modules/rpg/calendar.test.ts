import { describe, expect, it } from "vitest";
import { dayIn, msUntilNextDay, previousDay } from "./calendar.ts";

describe("calendar days in a time zone", () => {
  it("names the day as the streamer's clock shows it", () => {
    const at = Date.parse("2026-01-01T23:30:00Z");
    expect(dayIn(at, "UTC")).toBe("2026-01-01");
    expect(dayIn(at, "Europe/Berlin")).toBe("2026-01-02");
    expect(dayIn(at, "America/Los_Angeles")).toBe("2026-01-01");
    expect(dayIn(Date.parse("2026-01-01T10:30:00Z"), "Pacific/Kiritimati")).toBe("2026-01-02");
  });

  it("steps back over month, leap-day and year boundaries", () => {
    expect(previousDay("2026-03-01")).toBe("2026-02-28");
    expect(previousDay("2028-03-01")).toBe("2028-02-29");
    expect(previousDay("2027-01-01")).toBe("2026-12-31");
  });

  it("finds the next midnight exactly, on ordinary and daylight-saving days", () => {
    expect(msUntilNextDay(Date.parse("2026-05-05T23:00:00Z"), "UTC")).toBe(3_600_000);
    // New York, 8 March 2026: clocks jump from 2:00 to 3:00, the day has 23 hours.
    expect(msUntilNextDay(Date.parse("2026-03-08T05:00:00Z"), "America/New_York")).toBe(23 * 3_600_000);
    // Berlin, 25 October 2026: clocks go back, the day has 25 hours.
    expect(msUntilNextDay(Date.parse("2026-10-24T22:00:00Z"), "Europe/Berlin")).toBe(25 * 3_600_000);
  });
});
