import { describe, expect, it } from "vitest";
import { compileLinearRegex } from "./linear-regex.ts";

const where = 'handler "dice:roll"';
const compile = (source: string, flags = "") => compileLinearRegex(source, flags, where);

/** The error a pattern is refused with. */
function refusal(source: string, flags = ""): { code?: string; message: string } {
  try {
    compile(source, flags);
  } catch (error) {
    return error as { code?: string; message: string };
  }
  throw new Error(`/${source}/${flags} was accepted`);
}

describe("compileLinearRegex: matches as JavaScript would", () => {
  it("gives the match, its groups (unmatched ones as empty strings) and named groups", () => {
    const dice = compile(/(?<dice>\d+)d(?<sides>\d+)(?<bonus>\+\d+)?/.source);
    expect(dice.exec("roll 2d20 please")).toEqual({
      match: ["2d20", "2", "20", ""],
      index: 5,
      groups: { dice: "2", sides: "20" },
    });
    expect(dice.test("roll 2d20 please")).toBe(true);
    expect(dice.exec("no dice")).toBeNull();
    expect(dice.test("no dice")).toBe(false);
  });

  it("gives the index in UTF-16 units, as String.prototype.slice counts", () => {
    const text = "😀😀 roll 3d6 ✨";
    const found = compile("(\\d)d(\\d)").exec(text);
    expect(found?.index).toBe(text.indexOf("3d6"));
    expect(text.slice(found!.index, found!.index + found!.match[0]!.length)).toBe("3d6");
  });

  it("reads JavaScript syntax: \\u escapes, \\/, [\\b], an empty class, a class of everything", () => {
    expect(compile("\\u{1F600}", "u").exec("hi 😀")?.match).toEqual(["😀"]);
    expect(compile("caf\\u00e9").test("café")).toBe(true);
    expect(compile("a\\/b").exec("x a/b")?.match).toEqual(["a/b"]);
    expect(compile("[\\b]").test("a\bb")).toBe(true);
    expect(compile("[\\b]").test("a b")).toBe(false);
    expect(compile("x[]").test("x")).toBe(false);
    expect(compile("^[^]$").test("\n")).toBe(true);
  });

  it("maps the i, m, s and u flags (and ignores d)", () => {
    expect(compile("^hello$").test("HeLLo")).toBe(false);
    expect(compile("^hello$", "i").test("HeLLo")).toBe(true);
    expect(compile("^two$").test("one\ntwo")).toBe(false);
    expect(compile("^two$", "m").test("one\ntwo")).toBe(true);
    expect(compile("^a.b$").test("a\nb")).toBe(false);
    expect(compile("^a.b$", "s").test("a\nb")).toBe(true);
    expect(compile("^\\p{Lu}+$", "u").test("ÉTÉ")).toBe(true);
    expect(compile("^.$", "u").test("😀")).toBe(true);
    expect(compile("b", "d").exec("ab")).toEqual({ match: ["b"], index: 1, groups: {} });
  });

  it("answers a pattern that backtracks exponentially elsewhere at once, on a 500-character line", () => {
    const nested = compile("^(a+)+$");
    expect(nested.test(`${"a".repeat(499)}!`)).toBe(false);
    expect(nested.exec(`${"a".repeat(499)}!`)).toBeNull();
    expect(nested.exec("aaaa")?.match).toEqual(["aaaa", "aaaa"]);
  });
});

describe("compileLinearRegex: refuses at load what needs backtracking", () => {
  it.each([
    ["(\\w)\\1", "a backreference (\\1 at index 4)"],
    ["(?<c>\\w)\\k<c>", "a named backreference (\\k<c> at index 8)"],
    ["!roll(?= )", "a lookahead ((?= at index 5)"],
    ["!roll(?!x)", "a negative lookahead ((?! at index 5)"],
    ["(?<=@)\\w+", "a lookbehind ((?<= at index 0)"],
    ["(?<!@)\\w+", "a negative lookbehind ((?<! at index 0)"],
  ])("%s: names the handler, the regex and the construct", (source, construct) => {
    const error = refusal(source);
    expect(error.code).toBe("SS_TRIGGER_REGEX_UNSUPPORTED");
    expect(error.message).toContain(`handler "dice:roll": regex /${source}/ cannot run in linear time`);
    expect(error.message).toContain(`it uses ${construct}`);
  });

  it('does not take an escaped paren or a class holding "(?=" for a lookahead', () => {
    expect(compile("\\(?=").test("(=")).toBe(true);
    expect(compile("[(?=]").test("=")).toBe(true);
  });

  it("refuses the v flag and what RE2's parser rejects, with its reason", () => {
    expect(refusal("[a-z]", "v").message).toContain("the v flag");
    const tooMany = refusal("a{2000}");
    expect(tooMany.code).toBe("SS_TRIGGER_REGEX_UNSUPPORTED");
    expect(tooMany.message).toContain("{2000}");
  });
});
