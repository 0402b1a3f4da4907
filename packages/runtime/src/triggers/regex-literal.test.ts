import { describe, expect, it } from "vitest";
import { compileLinearRegex } from "./linear-regex.ts";
import { requiredLiteral } from "./regex-literal.ts";

describe("requiredLiteral: what a pattern cannot match without", () => {
  it("finds the longest top-level run of literal characters, lower-cased under the i flag", () => {
    expect(requiredLiteral("\\bmix-clip-(\\d{3,})\\b", true)).toBe("mix-clip-");
    expect(requiredLiteral("Hello, World", true)).toBe("hello, world");
    expect(requiredLiteral("Hello, World", false)).toBe("Hello, World");
    expect(requiredLiteral("ab\\dcdef", false)).toBe("cdef");
    expect(requiredLiteral("^!join$", false)).toBe("!join");
  });

  it("reads an escaped punctuation character as itself", () => {
    expect(requiredLiteral("\\.com\\/x", false)).toBe(".com/x");
    expect(requiredLiteral("a\\-b\\!c", false)).toBe("a-b!c");
  });

  it("leaves out a character a quantifier makes optional or repeated", () => {
    expect(requiredLiteral("colou?r", false)).toBe("colo");
    expect(requiredLiteral("go+al", false)).toBe("al");
    expect(requiredLiteral("xy{2,}zw", false)).toBe("zw");
    expect(requiredLiteral("ab*?c", false)).toBe("a");
  });

  it("skips groups and classes, whatever they contain", () => {
    expect(requiredLiteral("(abc)?def", false)).toBe("def");
    expect(requiredLiteral("(?:a|b)gg(?<n>x|y)", false)).toBe("gg");
    expect(requiredLiteral("[)|(]hype", false)).toBe("hype");
    expect(requiredLiteral("(\\)|[)])clip", false)).toBe("clip");
  });

  it("finds nothing in a pattern with a top-level alternative", () => {
    expect(requiredLiteral("hello|hi", false)).toBeNull();
    expect(requiredLiteral("(x)hello|hi", false)).toBeNull();
  });

  it("gives up on what it does not read: code escapes, inline flags, stray brackets", () => {
    expect(requiredLiteral("abc\\x41", false)).toBeNull();
    expect(requiredLiteral("abc\\u0041|x", false)).toBeNull();
    expect(requiredLiteral("abc\\p{L}", false)).toBeNull();
    expect(requiredLiteral("\\Qa|b\\E", false)).toBeNull();
    expect(requiredLiteral("abc(?i)def", false)).toBeNull();
    expect(requiredLiteral("abc]", false)).toBeNull();
    expect(requiredLiteral("abc{x", false)).toBeNull();
    expect(requiredLiteral("abc(", false)).toBeNull();
    expect(requiredLiteral("abc\\", false)).toBeNull();
  });

  it("keeps only printable ASCII, and no s under the i flag (RE2 folds it with U+017F)", () => {
    expect(requiredLiteral("héllo", false)).toBe("llo");
    expect(requiredLiteral("classic", true)).toBe("cla");
    expect(requiredLiteral("classic", false)).toBe("classic");
    expect(requiredLiteral("a\\tb", false)).toBe("a");
  });

  it("answers null below the minimum length", () => {
    expect(requiredLiteral("a.b", false, 2)).toBeNull();
    expect(requiredLiteral("\\d+", false)).toBeNull();
  });
});

describe("requiredLiteral: sound against the regex engine itself", () => {
  // Every text the engine matches contains the literal (in the lower-cased text under i).
  const patterns: Array<[string, string]> = [
    ["\\bmix-clip-(\\d{3,})\\b", "i"],
    ["classic", "i"],
    ["kick", "i"],
    ["ΣOS", "i"],
    ["istanbul", "i"],
    ["colou?r", ""],
    ["Hello, World", "i"],
    ["(?:ab)+cd", "i"],
    ["x[yz]+\\.done", ""],
  ];
  const texts = [
    "MIX-CLIP-12345",
    "see mix-clip-999 now",
    "CLAſſIC",
    "claſſic",
    "\u212Aick",
    "KICK",
    "σos",
    "ΣOS",
    "İstanbul",
    "ISTANBUL",
    "color",
    "colour",
    "hello, world",
    "HELLO, WORLD",
    "ABABCD",
    "xyzz.done",
    "nothing here",
  ];

  for (const [source, flags] of patterns) {
    it(`/${source}/${flags}: no text the engine matches lacks the literal`, () => {
      const re = compileLinearRegex(source, flags, "test");
      const literal = requiredLiteral(source, flags.includes("i"));
      let matched = 0;
      for (const text of texts) {
        if (!re.test(text)) continue;
        matched++;
        if (literal !== null) {
          const haystack = flags.includes("i") ? text.toLowerCase() : text;
          expect(haystack, `${text} matches /${source}/${flags}`).toContain(literal);
        }
      }
      expect(matched).toBeGreaterThan(0);
    });
  }
});
