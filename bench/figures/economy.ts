import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { openModuleDatabase } from "@starstreamer/storage";
import Database from "better-sqlite3";
import type { Kysely } from "kysely";
import { type BenchHost, benchModule, startBenchHost, tempDir } from "../lib/bench-host.ts";
import { type Measured, median, nextTurn, type RunOptions, round, sleep, until } from "../lib/figure.ts";
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

/** CPU time of the whole process (every thread: host, workers, GC), microseconds. */
function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

/** A rate (per s) and the process's CPU time per item (us, all threads). */
interface Rate {
  perSecond: number;
  cpuUs: number;
}

/**
 * Emits `count` events 256 per turn, waiting while `module`'s queue is over 5,000 entries; the rate
 * runs from the first emit to the last handler report.
 */
async function drive(
  bench: BenchHost,
  module: string,
  count: number,
  emit: (i: number) => void,
): Promise<Rate> {
  const registry = bench.host.registry;
  const base = registry.info(module).eventsHandled;
  const cpu = cpuMicros();
  const started = performance.now();
  for (let i = 0; i < count; ) {
    for (let k = 0; k < 256 && i < count; k++, i++) emit(i);
    await nextTurn();
    while (registry.info(module).queued > 5000) await sleep(1);
  }
  await until(() => registry.info(module).eventsHandled - base >= count, 120_000, `every ${module} event`, 1);
  const ms = performance.now() - started;
  return { perSecond: (count / ms) * 1000, cpuUs: (cpuMicros() - cpu) / count };
}

/**
 * economy_transfers_per_s (through `callService` from the payer stand-in) and economy_give_per_s
 * (`!give` chat commands handled in the economy stand-in itself): rounds of transfers from 50
 * viewers, many in flight, each a Kysely transaction. After each round the invariants are
 * checked through the service and by reading the SQLite file: money is conserved, no balance is
 * negative, one ledger row per accepted transfer, every transfer handled once.
 */
export async function measureEconomy(options: RunOptions): Promise<Measured[]> {
  const count = options.quick ? 2000 : 20_000;
  const rounds = options.quick ? 1 : 3;
  const bench = await startBenchHost([{ from: benchModule("economy") }, { from: benchModule("payer") }]);
  const registry = bench.host.registry;
  const logins = Array.from({ length: USERS }, (_, i) => `user${i}`);
  const next = random(42);
  const transfers = Array.from({ length: count }, () => ({
    from: logins[Math.floor(next() * USERS)]!,
    to: logins[Math.floor(next() * USERS)]!,
    amount: 1 + Math.floor(next() * 20),
  }));
  const chat = transfers.map(({ from, to, amount }) => bench.chatData(`!give @${to} ${amount}`, from));
  const rates = { service: [] as number[], give: [] as number[] };
  const cpu = { service: [] as number[], give: [] as number[] };
  const audits: Audit[] = [];
  const problems: string[] = [];
  try {
    const service = (method: string, ...args: unknown[]) =>
      registry.services.call("bench", "bench-economy", method, args);
    for (const path of ["service", "give"] as const) {
      for (let r = -1; r < rounds; r++) {
        await service("seed", logins, START);
        const rate =
          path === "service"
            ? await drive(bench, "payer", count, (i) =>
                bench.host.emit("custom.payer.pay", transfers[i], "twitch"),
              )
            : await drive(bench, "economy", count, (i) =>
                bench.host.emit("twitch.chat.message", chat[i], "twitch"),
              );
        const audit = (await service("audit")) as Audit;
        for (const problem of checkInvariants(audit, count)) problems.push(`${path}: ${problem}`);
        if (r >= 0) {
          rates[path].push(rate.perSecond);
          cpu[path].push(rate.cpuUs);
          audits.push(audit);
        }
      }
    }
    for (const module of ["economy", "payer"]) {
      const info = registry.info(module);
      if (info.errors > 0 || info.dropped > 0) {
        problems.push(
          `${module}: ${info.errors} handler errors, ${info.dropped} dropped (${info.lastError?.message})`,
        );
      }
    }
    // Read the module's file from outside, as an auditor would.
    const file = new Database(join(bench.root, "data", "modules", "economy.db"), { readonly: true });
    try {
      const row = file
        .prepare("select count(*) as n, sum(balance) as total, min(balance) as low from accounts")
        .get() as { n: number; total: number; low: number };
      const ledger = file.prepare("select count(*) as n from ledger").get() as { n: number };
      const last = audits.at(-1)!;
      if (row.total !== USERS * START || row.low < 0 || ledger.n !== last.ok) {
        problems.push(`economy file disagrees: ${JSON.stringify({ row, ledger, last })}`);
      }
    } finally {
      file.close();
    }
  } finally {
    await bench.close();
  }
  const inProcess = await inProcessRate(transfers, logins, rounds);
  const last = audits.at(-1)!;
  const figure = (name: string, samples: number[], cpuUs: number[], note: string): Measured => {
    const p50 = median(samples);
    return {
      name,
      unit: "transfers/s",
      n: rounds,
      median: p50 === null ? null : Math.round(p50),
      p99: samples.length > 0 ? Math.round(Math.min(...samples)) : null,
      baseline: {
        name: "the same transactions in-process on the main thread, no host, per s",
        median: Math.round(inProcess.perSecond),
      },
      ratio: p50 === null ? null : round(p50 / inProcess.perSecond, 2),
      stand_in: true,
      ...(problems.length > 0 ? { problems: [...problems] } : {}),
      note,
      details: {
        invariants: problems.length === 0 ? "held" : "broken",
        // On a shared machine the rate follows the CPU share the run got; CPU per transfer does not.
        cpu_us_per_transfer: { median: round(median(cpuUs), 0), in_process: round(inProcess.cpuUs, 0) },
        last_round: { ok: last.ok, refused: last.refused, total: last.total, accounts: last.accounts },
      },
    };
  };
  return [
    figure(
      "economy_transfers_per_s",
      rates.service,
      cpu.service,
      `payer stand-in calls ctx.services["bench-economy"].transfer for each of ${count.toLocaleString("en-US")} custom.payer.pay events per round (economy stand-in: Kysely over better-sqlite3, WAL); p99 is the slowest round`,
    ),
    figure(
      "economy_give_per_s",
      rates.give,
      cpu.give,
      `${count.toLocaleString("en-US")} !give chat commands per round handled by the economy stand-in; p99 is the slowest round`,
    ),
  ];
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
): Promise<Rate> {
  const scratch = tempDir("economy-baseline");
  const opened = await openModuleDatabase({ dataDir: scratch.path, module: "economy", migrations });
  const db = opened.db as Kysely<EconomyTables>;
  const rates: number[] = [];
  const cpu: number[] = [];
  try {
    for (let r = -1; r < rounds; r++) {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom("ledger").execute();
        await trx.deleteFrom("accounts").execute();
        for (const login of logins)
          await trx.insertInto("accounts").values({ login, balance: START }).execute();
      });
      const cpuBefore = cpuMicros();
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
      if (r >= 0) {
        rates.push((transfers.length / (performance.now() - started)) * 1000);
        cpu.push((cpuMicros() - cpuBefore) / transfers.length);
      }
    }
  } finally {
    await opened.close();
    scratch.cleanup();
  }
  return { perSecond: median(rates)!, cpuUs: median(cpu)! };
}
