/** A parsed chat argument, or the reason it was refused (a short sentence for chat). */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

/** A Twitch login: 1 to 25 ASCII letters, digits or underscores. */
export const LOGIN = /^[a-z0-9_]{1,25}$/i;

const ASCII_PRINTABLE = /^[\x21-\x7e]*$/;
/** Characters that look like `@` but are not it (fullwidth, small, and similar). */
const AT_LOOKALIKES = /^[\uff20\ufe6b\u24d0]/;

function refuse<T>(reason: string): Parsed<T> {
  return { ok: false, reason };
}

/**
 * Reads the user argument of `!give @user` or `!balance @user`: exactly one `@`, then a Twitch
 * login. Look-alike characters (Cyrillic `о`, fullwidth letters, zero-width spaces) are refused,
 * never normalised, so a gift cannot land on someone who merely looks like the intended name.
 * @example parseUser("@Bob"); // { ok: true, value: "bob" }
 */
export function parseUser(token: string | undefined): Parsed<string> {
  if (token === undefined || token === "") return refuse("say who, like @friend");
  if (AT_LOOKALIKES.test(token)) return refuse("start the name with a plain @, like @friend");
  if (!token.startsWith("@"))
    return refuse(`put an @ before the name, like @${ASCII_PRINTABLE.test(token) ? token : "friend"}`);
  if (token.startsWith("@@")) return refuse("use a single @ before the name");
  const login = token.slice(1);
  if (login === "") return refuse("say who after the @, like @friend");
  if (!ASCII_PRINTABLE.test(login)) {
    return refuse("that name has characters Twitch names can't have (look-alike letters?)");
  }
  if (!LOGIN.test(login)) return refuse("Twitch names are letters, digits and _ (up to 25)");
  return { ok: true, value: login.toLowerCase() };
}

/** What an amount argument may be: a number, or (for `!gamble`) `all` / `half` of the balance. */
export type AmountSpec = number | "all" | "half";

/**
 * Reads an amount typed in chat: plain ASCII digits for a whole number from 1 to 2^53 - 1, or
 * `all`/`half` where allowed. Everything else gets a reason: missing, zero, negative, fractional,
 * too large, not a number (other scripts' digits and look-alikes included).
 * @example parseAmount("50"); // { ok: true, value: 50 }
 * @example parseAmount("1.5"); // { ok: false, reason: "amounts are whole numbers, like 50" }
 */
export function parseAmount(
  token: string | undefined,
  options: { currency: string; allowAllHalf?: boolean },
): Parsed<AmountSpec> {
  const { currency } = options;
  const example = options.allowAllHalf ? "a number, all or half" : "a number, like 50";
  if (token === undefined || token === "") return refuse(`say how many ${currency}: ${example}`);
  const lower = token.toLowerCase();
  if (options.allowAllHalf && (lower === "all" || lower === "half")) return { ok: true, value: lower };
  if (/^[0-9]+$/.test(token)) {
    const digits = token.replace(/^0+(?=\d)/, "");
    if (digits.length > 16 || Number(digits) > Number.MAX_SAFE_INTEGER) {
      return refuse(`that's more ${currency} than exist`);
    }
    const value = Number(digits);
    if (value === 0) return refuse("the amount must be more than 0");
    return { ok: true, value };
  }
  if (/^-[0-9]*[.,]?[0-9]+$/.test(token) || /^-(all|half)$/i.test(token)) {
    return refuse("the amount must be more than 0");
  }
  if (/^\+?[0-9]*[.,][0-9]+$/.test(token) || /^[0-9]+[.,]$/.test(token)) {
    return refuse("amounts are whole numbers, like 50");
  }
  if (/^\+[0-9]+$/.test(token)) return refuse("write the amount without a sign, like 50");
  if (/\p{Nd}/u.test(token) && !ASCII_PRINTABLE.test(token))
    return refuse("write the amount with digits 0-9");
  return refuse(`that's not an amount: ${example}`);
}
