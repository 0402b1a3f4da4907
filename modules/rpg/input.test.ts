import { describe, expect, it } from "vitest";
import { parseAmount, parseUser } from "./input.ts";

const coins = { currency: "coins" };

describe("parseUser", () => {
  it("takes one @ and a Twitch login, lower-cased", () => {
    expect(parseUser("@Bob_42")).toEqual({ ok: true, value: "bob_42" });
  });

  it.each([
    [undefined, "say who, like @friend"],
    ["bob", "put an @ before the name, like @bob"],
    ["@@bob", "use a single @ before the name"],
    ["@", "say who after the @, like @friend"],
    ["\uff20bob", "start the name with a plain @, like @friend"],
    ["@b\u043eb", "that name has characters Twitch names can't have (look-alike letters?)"],
    ["@bob\u200b", "that name has characters Twitch names can't have (look-alike letters?)"],
    ["@\uff42\uff4f\uff42", "that name has characters Twitch names can't have (look-alike letters?)"],
    ["@bob!", "Twitch names are letters, digits and _ (up to 25)"],
    [`@${"a".repeat(26)}`, "Twitch names are letters, digits and _ (up to 25)"],
  ])("refuses %j", (token, reason) => {
    expect(parseUser(token)).toEqual({ ok: false, reason });
  });
});

describe("parseAmount", () => {
  it("reads plain whole numbers up to 2^53 - 1", () => {
    expect(parseAmount("50", coins)).toEqual({ ok: true, value: 50 });
    expect(parseAmount("007", coins)).toEqual({ ok: true, value: 7 });
    expect(parseAmount("9007199254740991", coins)).toEqual({ ok: true, value: Number.MAX_SAFE_INTEGER });
  });

  it("reads all and half only where allowed", () => {
    expect(parseAmount("ALL", { ...coins, allowAllHalf: true })).toEqual({ ok: true, value: "all" });
    expect(parseAmount("half", { ...coins, allowAllHalf: true })).toEqual({ ok: true, value: "half" });
    expect(parseAmount("all", coins)).toEqual({
      ok: false,
      reason: "that's not an amount: a number, like 50",
    });
  });

  it.each([
    [undefined, "say how many coins: a number, like 50"],
    ["0", "the amount must be more than 0"],
    ["000", "the amount must be more than 0"],
    ["-5", "the amount must be more than 0"],
    ["-0.5", "the amount must be more than 0"],
    ["2.5", "amounts are whole numbers, like 50"],
    ["1,5", "amounts are whole numbers, like 50"],
    ["+5", "write the amount without a sign, like 50"],
    ["9007199254740992", "that's more coins than exist"],
    ["99999999999999999999999", "that's more coins than exist"],
    ["1e3", "that's not an amount: a number, like 50"],
    ["lots", "that's not an amount: a number, like 50"],
    ["Infinity", "that's not an amount: a number, like 50"],
    ["0x10", "that's not an amount: a number, like 50"],
    ["\uff15\uff10", "write the amount with digits 0-9"],
    ["\u0665\u0660", "write the amount with digits 0-9"],
    ["5\u200b", "write the amount with digits 0-9"],
  ])("refuses %j", (token, reason) => {
    expect(parseAmount(token, coins)).toEqual({ ok: false, reason });
  });
});
