import type { ModuleClock } from "./clock.ts";
import { checkAmount, checkLogin, type Economy, type Holding, type OperationKey } from "./economy.ts";

/** Why and under which key a service call changes money. */
export interface EconomyChangeOptions {
  /** Shown in the ledger; default "service". */
  reason?: string;
  /**
   * The id of the event that caused this change (or any key unique to this payment, e.g.
   * `${event.id}:prize`). A key already in the ledger changes nothing and answers `applied: false`,
   * so a retried or repeated event never pays twice. Without it, every call counts.
   */
  eventId?: string;
}

/** The result of a change: the balance after it, and whether it was applied (false: a repeat). */
export interface EconomyChange {
  balance: number;
  applied: boolean;
}

/** The result of a transfer: both balances after it, and whether it was applied. */
export interface EconomyTransfer {
  from: number;
  to: number;
  applied: boolean;
}

/**
 * The `economy` service of the rpg module: balances by Twitch login, in whole units of the
 * configured currency. Changes are atomic and recorded in the ledger; they throw
 * `SS_ECONOMY_AMOUNT_INVALID`, `SS_ECONOMY_USER_INVALID`, `SS_ECONOMY_INSUFFICIENT_FUNDS`,
 * `SS_ECONOMY_SELF_TRANSFER` or `SS_ECONOMY_BALANCE_LIMIT` and then change nothing.
 * @example
 * const { balance } = await ctx.services.economy.add("ada", 50, { reason: "raffle", eventId: event.id });
 */
export interface EconomyService {
  /** The balance of `login` (0 for someone who never had any). */
  getBalance(login: string): Promise<number>;
  /** Adds `amount` (1 to 2^53 - 1) to `login`'s balance. */
  add(login: string, amount: number, options?: EconomyChangeOptions): Promise<EconomyChange>;
  /** Takes `amount` from `login`; refuses (SS_ECONOMY_INSUFFICIENT_FUNDS) rather than go below 0. */
  remove(login: string, amount: number, options?: EconomyChangeOptions): Promise<EconomyChange>;
  /** Moves `amount` from one account to another, atomically. */
  transfer(
    from: string,
    to: string,
    amount: number,
    options?: EconomyChangeOptions,
  ): Promise<EconomyTransfer>;
  /** The `limit` (default 5, at most 100) richest accounts, richest first. */
  top(limit?: number): Promise<Holding[]>;
}

declare module "starstreamer" {
  interface Services {
    economy: EconomyService;
  }
}

/** Service calls share one operation name, so they never collide with the module's own commands. */
function keyOf(options: EconomyChangeOptions | undefined): { reason: string; key: OperationKey } {
  const reason =
    typeof options?.reason === "string" && options.reason !== "" ? options.reason.slice(0, 200) : "service";
  const given = options?.eventId;
  const eventId =
    typeof given === "string" && given !== "" ? given.slice(0, 200) : `call:${crypto.randomUUID()}`;
  return { reason, key: { eventId, operation: "service" } };
}

/** The service object the rpg module provides, over its economy and clock. */
export function createEconomyService(economy: Economy, clock: ModuleClock): EconomyService {
  return {
    async getBalance(login) {
      return economy.balance(checkLogin(login));
    },
    async add(login, amount, options) {
      const who = checkLogin(login);
      const { reason, key } = keyOf(options);
      const result = await economy.apply(
        key,
        [{ login: who, amount: checkAmount(amount), reason }],
        clock.now(),
      );
      return { balance: result.balances[who] ?? 0, applied: result.applied };
    },
    async remove(login, amount, options) {
      const who = checkLogin(login);
      const { reason, key } = keyOf(options);
      const result = await economy.apply(
        key,
        [{ login: who, amount: -checkAmount(amount), reason }],
        clock.now(),
      );
      return { balance: result.balances[who] ?? 0, applied: result.applied };
    },
    async transfer(from, to, amount, options) {
      const sender = checkLogin(from);
      const recipient = checkLogin(to);
      const { reason, key } = keyOf(options);
      const result = await economy.transfer(key, sender, recipient, checkAmount(amount), reason, clock.now());
      return {
        from: result.balances[sender] ?? 0,
        to: result.balances[recipient] ?? 0,
        applied: result.applied,
      };
    },
    async top(limit = 5) {
      const size = Number.isInteger(limit) ? Math.min(Math.max(limit, 1), 100) : 5;
      return economy.top(size);
    },
  };
}
