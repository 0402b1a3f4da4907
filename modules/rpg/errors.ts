/**
 * The codes the economy raises to its callers (`ctx.services.economy`); they keep their `code` and
 * `data` across the worker boundary. Chat commands never show them: they answer in words.
 */
export const EconomyErrorCodes = {
  /** An amount that is not a whole number from 1 to 2^53 - 1 (`data.amount`). */
  AMOUNT_INVALID: "SS_ECONOMY_AMOUNT_INVALID",
  /** The account holds less than the change takes away (`data.login`, `data.balance`, `data.needed`). */
  INSUFFICIENT_FUNDS: "SS_ECONOMY_INSUFFICIENT_FUNDS",
  /** Not a Twitch login (`data.login`): 1 to 25 ASCII letters, digits or `_`. */
  USER_INVALID: "SS_ECONOMY_USER_INVALID",
  /** A transfer whose sender and recipient are the same account. */
  SELF_TRANSFER: "SS_ECONOMY_SELF_TRANSFER",
  /** The change would take a balance past 2^53 - 1, where numbers stop being exact. */
  BALANCE_LIMIT: "SS_ECONOMY_BALANCE_LIMIT",
} as const;

/** One of the {@link EconomyErrorCodes} values. */
export type EconomyErrorCode = (typeof EconomyErrorCodes)[keyof typeof EconomyErrorCodes];
