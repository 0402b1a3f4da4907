import { type Generated, sql } from "kysely";
import { defineDatabase } from "starstreamer";

/** The rpg module's tables, as `ctx.db` sees them. */
export interface RpgTables {
  /** One row per login that ever had money or played. `balance` is never negative (CHECK). */
  accounts: {
    login: string;
    balance: number;
    /** When the last `!work` paid (module clock, ms), or null. */
    last_work_at: number | null;
    /** The calendar day of the last `!daily` (`YYYY-MM-DD`, in the configured time zone), or null. */
    daily_day: string | null;
    /** Consecutive days with a `!daily`, ending at `daily_day`. */
    daily_streak: Generated<number>;
  };
  /**
   * Every change of a balance, signed (+ credit, - debit): the sum of `amount` equals the sum of
   * the balances. `event_id` says which event (or caller key) caused it and `operation` what was
   * done for it (`work`, `give`, `service`...); one operation of one event changes an account at
   * most once (UNIQUE), so an event seen twice does not pay twice.
   */
  ledger: {
    id: Generated<number>;
    event_id: string;
    operation: string;
    login: string;
    amount: number;
    reason: string;
    at: number;
  };
}

/** The rpg module's database: its tables and the migrations that create them. */
export const rpgDatabase = defineDatabase<RpgTables>({
  "001_create_accounts_and_ledger": {
    async up(db) {
      await db.schema
        .createTable("accounts")
        .addColumn("login", "text", (c) => c.primaryKey())
        .addColumn("balance", "integer", (c) => c.notNull().defaultTo(0).check(sql`balance >= 0`))
        .addColumn("last_work_at", "integer")
        .addColumn("daily_day", "text")
        .addColumn("daily_streak", "integer", (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createTable("ledger")
        .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
        .addColumn("event_id", "text", (c) => c.notNull())
        .addColumn("operation", "text", (c) => c.notNull())
        .addColumn("login", "text", (c) => c.notNull())
        .addColumn("amount", "integer", (c) => c.notNull().check(sql`amount <> 0`))
        .addColumn("reason", "text", (c) => c.notNull())
        .addColumn("at", "integer", (c) => c.notNull())
        .addUniqueConstraint("ledger_event_operation_login", ["event_id", "operation", "login"])
        .execute();
      await db.schema.createIndex("ledger_login").on("ledger").column("login").execute();
      await db.schema.createIndex("accounts_balance").on("accounts").column("balance").execute();
    },
  },
});
