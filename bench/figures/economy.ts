import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { openModuleDatabase } from "@starstreamer/storage";
import Database from "better-sqlite3";
import type { Kysely } from "kysely";
import { benchModule, startBenchHost, tempDir } from "../lib/bench-host.ts";
import { type Figure, median, nextTurn, type RunOptions, round, until } from "../lib/figure.ts";
import {
  type EconomyService,
  type EconomyTables,
  migrations,
  transferIn,
} from "../modules/economy/module.ts";

const USERS = 50;
const START = 1000;

type Audit = Awaited<ReturnType<EconomyService["audit"]>>;

/** A deterministic pseudo-random sequence (mulberry32), so every run sends the same transfers. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * economy_transfers_per_s: `!give @user <amount>` chat commands from 50 viewers, many in flight,
 * each a Kysely transaction in the economy stand-in's worker (read the sender's balance, debit,
 * credit with upsert, append to the ledger). Rate = transfers handled / time from the first emit
 * to the last handler's report. After each round the invariants are checked, through the
 * module's service and by reading its SQLite file directly: money is conserved, no balance is
 * negative, one ledger row per successful transfer, every command handled once.
 */
export async function measureEconomy(options: RunOptions): Promise<Figure> {
  const count = options.quick ? 2000 : 20_000;
  const rounds = options.quick ? 1 : 3;
  const bench = await startBenchHost([{ from: benchModule("economy") }], { queueCapacity: 30_000 });
  const registry = bench.host.registry;
  const logins = Array.from({ length: USERS }, (_, i) => `user${i}`);
  const next = random(42);
  const transfers = Array.from({ length: count }, () => ({
    from: logins[Math.floor(next() * USERS)]!,
    to: logins[Math.floor(next() * USERS)]!,
    amount: 1 + Math.floor(next() * 20),
  }));
  const data = transfers.map(({ from, to, amount }) => bench.chatData(`!give @${to} ${amount}`, from));
  const rates: number[] = [];
  const audits: Audit[] = [];
  try {
    const service = (method: string, ...args: unknown[]) =>
      registry.services.call("bench", "bench-economy", method, args);
    for (let r = -1; r < rounds; r++) {
      await service("seed", logins, START);
      const base = registry.info("economy").eventsHandled;
      const started = performance.now();
      for (let i = 0; i < count; ) {
        for (let k = 0; k < 256 && i < count; k++, i++)
          bench.host.emit("twitch.chat.message", data[i], "twitch");
        await nextTurn();
      }
      await until(() => registry.info("economy").eventsHandled - base >= count, 60_000, "every transfer", 1);
      const rate = (count / (performance.now() - started)) * 1000;
      const audit = (await service("audit")) as Audit;
      const problems = checkInvariants(audit, count);
      if (problems.length > 0) throw new Error(`economy invariant broken: ${problems.join("; ")}`);
      if (r >= 0) {
        rates.push(rate);
        audits.push(audit);
      }
    }
    const info = registry.info("economy");
    if (info.errors > 0 || info.dropped > 0) {
      throw new Error(
        `economy: ${info.errors} handler errors, ${info.dropped} dropped (${info.lastError?.message})`,
      );
    }
    // Read the module's file from outside, as an auditor would.
    const file = new Database(join(bench.root, "data", "modules", "economy.db"), { readonly: true });
    try {
      const row = file
        .prepare("select count(*) as n, sum(balance) as total, min(balance) as low from accounts")
        .get() as {
        n: number;
        total: number;
        low: number;
      };
      const ledger = file.prepare("select count(*) as n from ledger").get() as { n: number };
      const last = audits.at(-1)!;
      if (row.total !== USERS * START || row.low < 0 || ledger.n !== last.ok) {
        throw new Error(`economy file disagrees: ${JSON.stringify({ row, ledger, last })}`);
      }
    } finally {
      file.close();
    }
  } finally {
    await bench.close();
  }
  const inProcess = await inProcessRate(transfers, logins, rounds);
  const p50 = median(rates)!;
  const last = audits.at(-1)!;
  return {
    name: "economy_transfers_per_s",
    unit: "transfers/s",
    n: rounds,
    median: Math.round(p50),
    p99: Math.round(Math.min(...rates)),
    baseline: {
      name: "the same transactions in-process on the main thread, no host, per s",
      median: Math.round(inProcess),
    },
    ratio: round(p50 / inProcess, 2),
    target: ">= 5000/s, invariants hold",
    met: p50 >= 5000,
    stand_in: true,
    note: `economy stand-in (Kysely transaction over better-sqlite3, WAL) driven by ${count.toLocaleString("en-US")} !give chat commands per round; p99 is the slowest round; invariants checked after every round`,
    details: {
      invariants: "held",
      last_round: { ok: last.ok, refused: last.refused, total: last.total, accounts: last.accounts },
    },
  };
}

function checkInvariants(audit: Audit, count: number): string[] {
  const problems: string[] = [];
  if (audit.total !== USERS * START) problems.push(`total ${audit.total} != ${USERS * START}`);
  if (audit.negative !== 0) problems.push(`${audit.negative} negative balances`);
  if (audit.ledgerRows !== audit.ok)
    problems.push(`${audit.ledgerRows} ledger rows for ${audit.ok} transfers`);
  if (audit.ok + audit.refused !== count) problems.push(`${audit.ok + audit.refused} handled of ${count}`);
  return problems;
}

/**
 * The same transfers, same code (`transferIn`), on a module database opened in this thread, with
 * the same concurrency (256 started per turn): what SQLite + Kysely cost without the host.
 */
async function inProcessRate(
  transfers: Array<{ from: string; to: string; amount: number }>,
  logins: string[],
  rounds: number,
): Promise<number> {
  const scratch = tempDir("economy-baseline");
  const opened = await openModuleDatabase({ dataDir: scratch.path, module: "economy", migrations });
  const db = opened.db as Kysely<EconomyTables>;
  const rates: number[] = [];
  try {
    for (let r = -1; r < rounds; r++) {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom("ledger").execute();
        await trx.deleteFrom("accounts").execute();
        for (const login of logins)
          await trx.insertInto("accounts").values({ login, balance: START }).execute();
      });
      const started = performance.now();
      const pending: Array<Promise<boolean>> = [];
      for (let i = 0; i < transfers.length; ) {
        for (let k = 0; k < 256 && i < transfers.length; k++, i++) {
          const { from, to, amount } = transfers[i]!;
          pending.push(transferIn(db, from, to, amount));
        }
        await nextTurn();
      }
      await Promise.all(pending);
      if (r >= 0) rates.push((transfers.length / (performance.now() - started)) * 1000);
    }
  } finally {
    await opened.close();
    scratch.cleanup();
  }
  return median(rates)!;
}
