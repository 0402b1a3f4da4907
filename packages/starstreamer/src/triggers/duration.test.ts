import { describe, expect, it } from "vitest";
import { StarStreamerError } from "../errors.ts";
import { formatDuration, parseDuration } from "./duration.ts";

describe("parseDuration", () => {
  it.each([
    [0, 0],
    [1500, 1500],
    [12.4, 12],
    ["500ms", 500],
    ["30s", 30_000],
    ["5m", 300_000],
    ["1h", 3_600_000],
    ["1d", 86_400_000],
    ["1h30m", 5_400_000],
    ["1m 30s", 90_000],
    ["  2M 5S ", 125_000],
    ["1.5s", 1_500],
    ["1 h 1 ms", 3_600_001],
  ])("reads %j as %d ms", (input, expected) => {
    expect(parseDuration(input)).toBe(expected);
  });

  it.each([
    [-1],
    [Number.NaN],
    [Number.POSITIVE_INFINITY],
    [""],
    ["  "],
    ["10"],
    ["5 minutes"],
    ["1h30"],
    ["s"],
    ["-5s"],
    ["1w"],
    ["5m!"],
  ])("rejects %j with SS_TRIGGER_INVALID and the accepted forms", (input) => {
    let error: unknown;
    try {
      parseDuration(input as string | number);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(StarStreamerError);
    expect((error as StarStreamerError).code).toBe("SS_TRIGGER_INVALID");
    expect((error as StarStreamerError).message).toContain('"1m 30s"');
    expect((error as StarStreamerError).message).toContain(
      typeof input === "string" ? JSON.stringify(input) : String(input),
    );
  });
});

describe("formatDuration", () => {
  it.each([
    [252_000, "4m 12s"],
    [12_000, "12s"],
    [3_900_000, "1h 5m"],
    [3_905_000, "1h 5m"],
    [3_600_000, "1h"],
    [3_605_000, "1h"],
    [90_061_000, "1d 1h"],
    [300, "1s"],
    [1, "1s"],
    [11_200, "12s"],
    [0, "0s"],
    [-5, "0s"],
  ])("writes %d ms as %j", (ms, expected) => {
    expect(formatDuration(ms)).toBe(expected);
  });
});
