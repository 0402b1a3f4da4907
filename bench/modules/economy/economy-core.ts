/**
 * What the economy stand-in (module.ts) does, without the SDK: its config schema, its tables and
 * migrations, and a transfer. The module runs it through `ctx.db`; the benchmark also runs it on
 * the main thread (the economy figure's baseline) and in plain workers with no framework
 * (bench/child/plain-economy-worker.ts, the memory figure's comparison).
 */
import { type Kysely, sql } from "kysely";
import { z } from "zod";

/** Tables of the stand-in. */
export interface EconomyTables {
  accounts: { login: string; balance: number };
  ledger: { id: number | null; sender: string; recipient: string; amount: number; at: number };
}

/** Transfers accepted and refused since the last seed (the service's audit reports them). */
export const tally = { ok: 0, refused: 0 };

/** The stand-in's config. */
export const economyConfig = z.object({ currency: z.string().default("points") });

/**
 * One transfer as one transaction; exported so the benchmark can run it without a host too.
 * Written as a module author should: the debit is one conditional UPDATE (it changes no row when
 * the sender lacks the money, so there is no read-then-write), then the credit (an upsert) and the
 * ledger row: three statements between BEGIN and COMMIT.
 */
export function transferIn(
  db: Kysely<EconomyTables>,
  from: string,
  to: string,
  amount: number,
): Promise<boolean> {
  if (!Number.isInteger(amount) || amount <= 0 || from === to) {
    tally.refused++;
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
      tally.refused++;
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
    tally.ok++;
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
