import { type Kysely, sql } from "kysely";
import { command, defineModule, on } from "starstreamer";
import { z } from "zod";

/**
 * Stand-in for the economy module (not built yet): the same work, a transactional transfer in
 * SQLite through `ctx.db`, driven by `!give` in chat, plus a service other modules (and the
 * benchmark) call. `REVISION` is what the reload benchmark edits.
 */
const REVISION = "r0";

interface Tables {
  accounts: { login: string; balance: number };
  ledger: { id: number | null; sender: string; recipient: string; amount: number; at: number };
}

declare module "starstreamer" {
  interface Services {
    /** The bench stand-in's service (the real economy service is the rpg module's). */
    "bench-economy": EconomyService;
  }
}

/** The service the stand-in provides as "bench-economy". */
export interface EconomyService {
  /** Sets every login's balance to `amount`; returns the total. */
  seed(logins: string[], amount: number): Promise<number>;
  balance(login: string): Promise<number>;
  transfer(from: string, to: string, amount: number): Promise<boolean>;
  audit(): Promise<{
    accounts: number;
    total: number;
    negative: number;
    ledgerRows: number;
    ledgerAmount: number;
    ok: number;
    refused: number;
  }>;
}

let ok = 0;
let refused = 0;

/** Tables of the stand-in, for the benchmark's in-process baseline. */
export type EconomyTables = Tables;

/**
 * One transfer as one transaction; exported so the benchmark can run it without a host too.
 * Written as a module author should: the debit is one conditional UPDATE (it changes no row when
 * the sender lacks the money, so there is no read-then-write), then the credit (an upsert) and the
 * ledger row: three statements between BEGIN and COMMIT.
 */
export function transferIn(db: Kysely<Tables>, from: string, to: string, amount: number): Promise<boolean> {
  if (!Number.isInteger(amount) || amount <= 0 || from === to) {
    refused++;
    return Promise.resolve(false);
  }
  return db.transaction().execute(async (trx) => {
    const debit = await trx
      .updateTable("accounts")
      .set((eb) => ({ balance: eb("balance", "-", amount) }))
      .where("login", "=", from)
      .where("balance", ">=", amount)
      .executeTakeFirst();
    if (debit.numUpdatedRows === 0n) {
      refused++;
      return false;
    }
    await trx
      .insertInto("accounts")
      .values({ login: to, balance: amount })
      .onConflict((oc) =>
        oc.column("login").doUpdateSet((eb) => ({ balance: eb("accounts.balance", "+", amount) })),
      )
      .execute();
    await trx
      .insertInto("ledger")
      .values({ id: null, sender: from, recipient: to, amount, at: Date.now() })
      .execute();
    ok++;
    return true;
  });
}

/** The stand-in's schema. */
export const migrations = {
  "001_accounts": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("accounts")
        .ifNotExists()
        .addColumn("login", "text", (c) => c.primaryKey())
        .addColumn("balance", "integer", (c) => c.notNull().check(sql`balance >= 0`))
        .execute();
      await db.schema
        .createTable("ledger")
        .ifNotExists()
        // INTEGER PRIMARY KEY is the rowid: ids are assigned without AUTOINCREMENT's extra
        // sqlite_sequence write on every insert.
        .addColumn("id", "integer", (c) => c.primaryKey())
        .addColumn("sender", "text", (c) => c.notNull())
        .addColumn("recipient", "text", (c) => c.notNull())
        .addColumn("amount", "integer", (c) => c.notNull())
        .addColumn("at", "integer", (c) => c.notNull())
        .execute();
    },
  },
};

export default defineModule({
  name: "economy",
  description: "Benchmark stand-in: points, transfers in a SQLite transaction",
  version: "0.0.1",
  provides: ["bench-economy"],
  config: z.object({ currency: z.string().default("points") }),
  migrations,
  initialize(ctx) {
    const db = ctx.db as Kysely<Tables>;
    const service: EconomyService = {
      async seed(logins, amount) {
        await db.transaction().execute(async (trx) => {
          await trx.deleteFrom("ledger").execute();
          await trx.deleteFrom("accounts").execute();
          for (const login of logins)
            await trx.insertInto("accounts").values({ login, balance: amount }).execute();
        });
        ok = 0;
        refused = 0;
        return logins.length * amount;
      },
      async balance(login) {
        const row = await db
          .selectFrom("accounts")
          .select("balance")
          .where("login", "=", login)
          .executeTakeFirst();
        return row?.balance ?? 0;
      },
      transfer: (from, to, amount) => transferIn(db, from, to, amount),
      async audit() {
        const totals = await db
          .selectFrom("accounts")
          .select((eb) => [
            eb.fn.countAll<number>().as("accounts"),
            eb.fn.coalesce(eb.fn.sum<number>("balance"), eb.lit(0)).as("total"),
          ])
          .executeTakeFirstOrThrow();
        const negative = await db
          .selectFrom("accounts")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("balance", "<", 0)
          .executeTakeFirstOrThrow();
        const ledger = await db
          .selectFrom("ledger")
          .select((eb) => [
            eb.fn.countAll<number>().as("rows"),
            eb.fn.coalesce(eb.fn.sum<number>("amount"), eb.lit(0)).as("amount"),
          ])
          .executeTakeFirstOrThrow();
        return {
          accounts: Number(totals.accounts),
          total: Number(totals.total),
          negative: Number(negative.n),
          ledgerRows: Number(ledger.rows),
          ledgerAmount: Number(ledger.amount),
          ok,
          refused,
        };
      },
    };
    ctx.provide("bench-economy", service);
  },
  registerActions() {
    on(
      "twitch.chat.message",
      command("!give", { args: ["to:user", "amount:int"] }),
      async function give(event, ctx) {
        const { to, amount } = ctx.match.command!.params as { to: string; amount: number };
        await transferIn(ctx.db as Kysely<Tables>, event.data.user.login, to, amount);
      },
    );
    on("twitch.chat.message", command("!balance"), async function balance(event, ctx) {
      const row = await (ctx.db as Kysely<Tables>)
        .selectFrom("accounts")
        .select("balance")
        .where("login", "=", event.data.user.login)
        .executeTakeFirst();
      await ctx.twitch.sendMessage(`${event.data.user.displayName} has ${row?.balance ?? 0} [${REVISION}]`);
    });
  },
});
