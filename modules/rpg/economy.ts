import { type Kysely, sql } from "kysely";
import { StarStreamerError } from "starstreamer";
import type { RpgTables } from "./database.ts";
import { EconomyErrorCodes } from "./errors.ts";
import { LOGIN } from "./input.ts";

type Db = Kysely<RpgTables>;

/**
 * What a change is keyed by: the event that caused it and the operation it did for that event
 * (`work`, `give`, `service`...). A key already in the ledger changes nothing, so one event pays
 * once per operation, and two operations on one event (a chat reward and a !work) both count.
 */
export interface OperationKey {
  eventId: string;
  operation: string;
}

/** One signed change of one account. */
export interface Change {
  login: string;
  amount: number;
  reason: string;
}

/** An account and its balance. */
export interface Holding {
  login: string;
  balance: number;
}

/** What a change did: the balances after it, or `applied: false` when its event id was seen before. */
export interface Applied {
  applied: boolean;
  /** Balances after the change (or as they are, for a repeat), by login. */
  balances: Record<string, number>;
}

/** What `!work` did. */
export type WorkOutcome =
  | { kind: "paid"; amount: number; balance: number }
  | { kind: "resting"; remainingMs: number }
  | { kind: "repeat" };

/** What `!daily` did. */
export type DailyOutcome =
  | { kind: "paid"; amount: number; streak: number; balance: number }
  | { kind: "already"; streak: number }
  | { kind: "repeat" };

/** What `!gamble` did. */
export type GambleOutcome =
  | { kind: "won" | "lost"; bet: number; change: number; balance: number }
  | { kind: "repeat" };

function fail(code: string, message: string, data: Record<string, unknown>): StarStreamerError {
  return new StarStreamerError(code, message, { data });
}

/** Throws SS_ECONOMY_USER_INVALID unless `login` is a Twitch login; returns it lower-cased. */
export function checkLogin(login: unknown): string {
  if (typeof login !== "string" || !LOGIN.test(login)) {
    throw fail(EconomyErrorCodes.USER_INVALID, `not a Twitch login: ${JSON.stringify(login)}`, {
      login: String(login),
    });
  }
  return login.toLowerCase();
}

/** Throws SS_ECONOMY_AMOUNT_INVALID unless `amount` is a whole number from 1 to 2^53 - 1. */
export function checkAmount(amount: unknown): number {
  if (typeof amount !== "number" || !Number.isSafeInteger(amount) || amount < 1) {
    throw fail(
      EconomyErrorCodes.AMOUNT_INVALID,
      `an amount is a whole number from 1 to ${Number.MAX_SAFE_INTEGER}, got ${String(amount)}`,
      { amount: String(amount) },
    );
  }
  return amount;
}

/**
 * The money of the rpg module, kept in its SQLite file. Every operation is one `BEGIN IMMEDIATE`
 * transaction (the write lock is taken up front, so even a second worker on the same file during a
 * reload waits instead of failing), writes one ledger row per account it changes, and refuses to
 * take a balance below 0 or past 2^53 - 1. An operation's event id is checked first: an event
 * already in the ledger changes nothing.
 */
export class Economy {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /** Runs `work` in one immediate transaction on the module's single connection. */
  async #transaction<T>(work: (tx: Db) => Promise<T>): Promise<T> {
    return this.#db.connection().execute(async (conn) => {
      await sql`begin immediate`.execute(conn);
      try {
        const result = await work(conn);
        await sql`commit`.execute(conn);
        return result;
      } catch (error) {
        await sql`rollback`.execute(conn);
        throw error;
      }
    });
  }

  async #seen(tx: Db, key: OperationKey): Promise<boolean> {
    const row = await tx
      .selectFrom("ledger")
      .select("id")
      .where("event_id", "=", key.eventId)
      .where("operation", "=", key.operation)
      .executeTakeFirst();
    return row !== undefined;
  }

  async #balanceIn(tx: Db, login: string): Promise<number> {
    const row = await tx
      .selectFrom("accounts")
      .select("balance")
      .where("login", "=", login)
      .executeTakeFirst();
    return row?.balance ?? 0;
  }

  /** Applies the changes inside `tx`; the caller has checked the event id. Returns new balances. */
  async #applyIn(
    tx: Db,
    key: OperationKey,
    changes: readonly Change[],
    at: number,
  ): Promise<Record<string, number>> {
    const balances: Record<string, number> = {};
    for (const change of changes) {
      const current = await this.#balanceIn(tx, change.login);
      const next = current + change.amount;
      if (next < 0) {
        throw fail(
          EconomyErrorCodes.INSUFFICIENT_FUNDS,
          `${change.login} has ${current}, which is less than ${-change.amount}`,
          { login: change.login, balance: current, needed: -change.amount },
        );
      }
      if (!Number.isSafeInteger(next)) {
        throw fail(
          EconomyErrorCodes.BALANCE_LIMIT,
          `${change.login}'s balance would pass ${Number.MAX_SAFE_INTEGER}`,
          {
            login: change.login,
            balance: current,
            amount: change.amount,
          },
        );
      }
      await tx
        .insertInto("accounts")
        .values({ login: change.login, balance: next })
        .onConflict((oc) => oc.column("login").doUpdateSet({ balance: next }))
        .execute();
      await tx
        .insertInto("ledger")
        .values({
          event_id: key.eventId,
          operation: key.operation,
          login: change.login,
          amount: change.amount,
          reason: change.reason,
          at,
        })
        .execute();
      balances[change.login] = next;
    }
    return balances;
  }

  /** The balance of `login` (0 for an account never seen). */
  balance(login: string): Promise<number> {
    return this.#balanceIn(this.#db, login);
  }

  /** Whether `login` has an account (had money or played before). */
  async known(login: string): Promise<boolean> {
    const row = await this.#db
      .selectFrom("accounts")
      .select("login")
      .where("login", "=", login)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** The `limit` richest accounts with money, richest first (ties by login). */
  top(limit: number): Promise<Holding[]> {
    return this.#db
      .selectFrom("accounts")
      .select(["login", "balance"])
      .where("balance", ">", 0)
      .orderBy("balance", "desc")
      .orderBy("login", "asc")
      .limit(limit)
      .execute();
  }

  /**
   * Applies signed changes atomically under one event id: all of them, or none (a change that would
   * overdraw an account throws SS_ECONOMY_INSUFFICIENT_FUNDS and rolls back the others).
   */
  apply(key: OperationKey, changes: readonly Change[], at: number): Promise<Applied> {
    return this.#transaction(async (tx) => {
      if (await this.#seen(tx, key)) {
        const balances: Record<string, number> = {};
        for (const { login } of changes) balances[login] = await this.#balanceIn(tx, login);
        return { applied: false, balances };
      }
      return { applied: true, balances: await this.#applyIn(tx, key, changes, at) };
    });
  }

  /** Moves `amount` from one account to another (throws SS_ECONOMY_SELF_TRANSFER for the same one). */
  transfer(
    key: OperationKey,
    from: string,
    to: string,
    amount: number,
    reason: string,
    at: number,
  ): Promise<Applied> {
    if (from === to)
      throw fail(EconomyErrorCodes.SELF_TRANSFER, "cannot transfer to the same account", { login: from });
    return this.apply(
      key,
      [
        { login: from, amount: -amount, reason },
        { login: to, amount, reason },
      ],
      at,
    );
  }

  /** Pays a random `amount` for `!work` unless the user worked less than `cooldownMs` ago. */
  work(
    eventId: string,
    login: string,
    amount: number,
    cooldownMs: number,
    now: number,
  ): Promise<WorkOutcome> {
    return this.#transaction(async (tx): Promise<WorkOutcome> => {
      const key = { eventId, operation: "work" };
      if (await this.#seen(tx, key)) return { kind: "repeat" };
      const row = await tx
        .selectFrom("accounts")
        .select("last_work_at")
        .where("login", "=", login)
        .executeTakeFirst();
      const last = row?.last_work_at ?? null;
      if (last !== null && now - last < cooldownMs)
        return { kind: "resting", remainingMs: cooldownMs - (now - last) };
      const balances = await this.#applyIn(tx, key, [{ login, amount, reason: "work" }], now);
      await tx.updateTable("accounts").set({ last_work_at: now }).where("login", "=", login).execute();
      return { kind: "paid", amount, balance: balances[login] ?? 0 };
    });
  }

  /**
   * Pays the daily reward once per calendar `day`: `amountFor(streak)`, where the streak grows when
   * the last claim was on `yesterday` and starts over at 1 otherwise.
   */
  daily(
    eventId: string,
    login: string,
    day: string,
    yesterday: string,
    amountFor: (streak: number) => number,
    now: number,
  ): Promise<DailyOutcome> {
    return this.#transaction(async (tx): Promise<DailyOutcome> => {
      const key = { eventId, operation: "daily" };
      if (await this.#seen(tx, key)) return { kind: "repeat" };
      const row = await tx
        .selectFrom("accounts")
        .select(["daily_day", "daily_streak"])
        .where("login", "=", login)
        .executeTakeFirst();
      if (row?.daily_day === day) return { kind: "already", streak: row.daily_streak };
      const streak = row?.daily_day === yesterday ? row.daily_streak + 1 : 1;
      const amount = amountFor(streak);
      const balances = await this.#applyIn(
        tx,
        key,
        [{ login, amount, reason: `daily (day ${streak})` }],
        now,
      );
      await tx
        .updateTable("accounts")
        .set({ daily_day: day, daily_streak: streak })
        .where("login", "=", login)
        .execute();
      return { kind: "paid", amount, streak, balance: balances[login] ?? 0 };
    });
  }

  /**
   * Bets `bet(balance)` (computed from the balance inside the transaction, for `all` and `half`);
   * a win adds `gainFor(bet)`, a loss takes the bet. `bet` throws to refuse (too small, too large).
   */
  gamble(
    eventId: string,
    login: string,
    bet: (balance: number) => number,
    won: boolean,
    gainFor: (bet: number) => number,
    now: number,
  ): Promise<GambleOutcome> {
    return this.#transaction(async (tx): Promise<GambleOutcome> => {
      const key = { eventId, operation: "gamble" };
      if (await this.#seen(tx, key)) return { kind: "repeat" };
      const amount = bet(await this.#balanceIn(tx, login));
      const change = won ? gainFor(amount) : -amount;
      const balances = await this.#applyIn(
        tx,
        key,
        [{ login, amount: change, reason: won ? "gamble won" : "gamble lost" }],
        now,
      );
      return { kind: won ? "won" : "lost", bet: amount, change, balance: balances[login] ?? 0 };
    });
  }
}
