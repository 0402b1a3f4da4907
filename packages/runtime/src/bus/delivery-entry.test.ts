import { describe, expect, it } from "vitest";
import { decodeEntry, encodeEntry, encodeHit, entryOf } from "./delivery-entry.ts";

describe("delivery entries", () => {
  it("writes a hit exactly as JSON.stringify writes [id, match], an absent match as null", () => {
    const matches: unknown[] = [
      {},
      { command: { name: "give", used: "give", args: ["@bo", "5"], params: { amount: 5 }, rest: "@bo 5" } },
      { regex: { groups: { a: "x\ny" } }, keyword: { word: 'say "hi"' } },
      null,
      undefined,
    ];
    for (const match of matches) {
      expect(encodeHit(7, match)).toBe(JSON.stringify([7, match]));
    }
  });

  it("builds the same entry from hits' JSON as from the hits themselves", () => {
    const event = JSON.stringify({ id: "e1", type: "twitch.chat.message", data: { text: "!a\tb" } });
    const hits: Array<[number, unknown]> = [
      [0, { command: { name: "a", args: ["b"] } }],
      [3, {}],
    ];
    const direct = entryOf(event, hits.map(([id, match]) => encodeHit(id, match)).join(","));
    expect(direct).toBe(encodeEntry(event, hits));
    expect(decodeEntry(direct)).toEqual({ e: JSON.parse(event), h: hits });
  });
});
