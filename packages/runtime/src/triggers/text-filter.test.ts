import { describe, expect, it } from "vitest";
import { createEventView } from "./event-view.ts";
import { chat, follow } from "./test-harness.ts";
import { type RequiredText, TextFilter } from "./text-filter.ts";

const lower = (...words: string[]): RequiredText => ({ words, lowerCase: true });
const exact = (...words: string[]): RequiredText => ({ words, lowerCase: false });

/** Which entries the filter lets through for `text`, and the count it reported. */
function candidates(filter: TextFilter, size: number, text: string): { may: number[]; count: number } {
  const count = filter.scan(createEventView(chat(text)));
  const may = Array.from({ length: size }, (_, i) => i).filter((i) => filter.may(i));
  return { may, count };
}

describe("TextFilter", () => {
  it("lets through only the entries one of whose words the message contains", () => {
    const filter = new TextFilter([lower("hype"), lower("gg", "wp"), exact("Clip-"), lower("hype", "pog")]);
    expect(candidates(filter, 4, "what a HYPE moment")).toEqual({ may: [0, 3], count: 2 });
    expect(candidates(filter, 4, "ggs all")).toEqual({ may: [1], count: 1 });
    expect(candidates(filter, 4, "see Clip-12")).toEqual({ may: [2], count: 1 });
    expect(candidates(filter, 4, "see clip-12")).toEqual({ may: [], count: 0 });
    expect(candidates(filter, 4, "nothing to see")).toEqual({ may: [], count: 0 });
  });

  it("forgets the previous message's finds", () => {
    const filter = new TextFilter([lower("hype"), lower("gg")]);
    expect(candidates(filter, 2, "hype").may).toEqual([0]);
    expect(candidates(filter, 2, "gg").may).toEqual([1]);
    expect(candidates(filter, 2, "hi").may).toEqual([]);
  });

  it("always lets through entries without required text or with a one-character word", () => {
    const filter = new TextFilter([null, lower("hype"), lower("?", "what"), { words: [], lowerCase: true }]);
    expect(candidates(filter, 4, "nothing")).toEqual({ may: [0, 2, 3], count: 3 });
    expect(candidates(filter, 4, "hype")).toEqual({ may: [0, 1, 2, 3], count: 4 });
  });

  it("finds words at the very start and end, overlapping and repeated", () => {
    const filter = new TextFilter([lower("abab"), lower("bab"), lower("xy"), lower("yz")]);
    expect(candidates(filter, 4, "ababab").may).toEqual([0, 1]);
    expect(candidates(filter, 4, "xyz").may).toEqual([2, 3]);
    expect(candidates(filter, 4, "x y z").may).toEqual([]);
  });

  it("finds non-ASCII words", () => {
    const filter = new TextFilter([lower("привет"), lower("🎉🎉"), lower("héllo")]);
    expect(candidates(filter, 3, "ПРИВЕТ всем").may).toEqual([0]);
    expect(candidates(filter, 3, "party 🎉🎉🎉").may).toEqual([1]);
    expect(candidates(filter, 3, "HÉLLO").may).toEqual([2]);
  });

  it("lets nothing with required text through for an event without text", () => {
    const filter = new TextFilter([null, lower("hype"), exact("Clip")]);
    expect(filter.scan(createEventView(follow))).toBe(1);
    expect([0, 1, 2].map((i) => filter.may(i))).toEqual([true, false, false]);
  });

  it("agrees with a plain search on every line of a varied set", () => {
    const words = ["mix0hype", "mix1gg", "gg", "lol", "Kappa", "pog", "the chat", "ab", "ba"];
    const required = words.map((w, i) => (i % 2 === 0 ? lower(w.toLowerCase()) : exact(w)));
    const filter = new TextFilter(required);
    const lines = [
      "lol the chat is wild",
      "Kappa Kappa",
      "kappa",
      "that was mix0hype",
      "MIX1GG",
      "mix1gg",
      "abba",
      "POGGERS",
      "",
      "a",
    ];
    for (const line of lines) {
      const expected = required
        .map((r, i) => ((r.lowerCase ? line.toLowerCase() : line).includes(r.words[0]!) ? i : -1))
        .filter((i) => i >= 0);
      expect(candidates(filter, words.length, line).may, line).toEqual(expected);
    }
  });

  it("agrees with a plain search on generated texts, whatever the mix of literal lengths", () => {
    // A fixed pseudo-random sequence over a small alphabet, so that literals occur often and overlap.
    let seed = 12345;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const pick = (length: number) => Array.from({ length }, () => "abcAB -"[next(7)]).join("");
    for (let round = 0; round < 40; round++) {
      const required = Array.from({ length: 1 + next(8) }, () => {
        const word = pick(2 + next(9));
        return next(2) === 0 ? lower(word.toLowerCase()) : exact(word);
      });
      const filter = new TextFilter(required);
      for (let line = 0; line < 25; line++) {
        const text = pick(next(40));
        const expected = required
          .map((r, i) => ((r.lowerCase ? text.toLowerCase() : text).includes(r.words[0]!) ? i : -1))
          .filter((i) => i >= 0);
        expect(
          candidates(filter, required.length, text).may,
          `${JSON.stringify(required)} in "${text}"`,
        ).toEqual(expected);
      }
    }
  });
});
