import type { Kysely } from "kysely";
import { command, defineModule, on } from "starstreamer";
import {
  economyConfig,
  migrations,
  type EconomyTables as Tables,
  tally,
  transferIn,
} from "./economy-core.ts";

export { type EconomyTables, migrations, transferIn } from "./economy-core.ts";

/**
 * Stand-in for the economy module (not built yet): the same work, a transactional transfer in
 * SQLite through `ctx.db`, driven by `!give` in chat, plus a service other modules (and the
 * benchmark) call. `REVISION` is what the reload benchmark edits.
 */
const REVISION = "r0";

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

export default defineModule({
  name: "economy",
  description: "Benchmark stand-in: points, transfers in a SQLite transaction",
  version: "0.0.1",
  provides: ["bench-economy"],
  config: economyConfig,
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
        tally.ok = 0;
        tally.refused = 0;
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
          ok: tally.ok,
          refused: tally.refused,
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
