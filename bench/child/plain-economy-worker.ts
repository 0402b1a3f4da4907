/**
 * The economy stand-in's work in a plain worker_thread, with no framework: what a home-grown bot
 * pays for the same libraries and queries. It imports zod and Kysely as installed, opens its own
 * SQLite file with better-sqlite3, parses the stand-in's config, runs its migrations and five of
 * its transfers (the same code: bench/modules/economy/economy-core.ts), then says "up" and idles,
 * its connection kept open. rss-probe.ts `--plain` bundles it (the packages left as installed).
 */
import { join } from "node:path";
import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import {
  type EconomyTables,
  economyConfig,
  migrations,
  transferIn,
} from "../modules/economy/economy-core.ts";

const { dir, index } = workerData as { dir: string; index: number };
economyConfig.parse({});
const db = new Kysely<EconomyTables>({
  dialect: new SqliteDialect({ database: new Database(join(dir, `plain${index}.sqlite`)) }),
});
await migrations["001_accounts"].up(db as Kysely<unknown>);
await db.insertInto("accounts").values({ login: "a", balance: 100 }).execute();
for (let i = 0; i < 5; i++) await transferIn(db, "a", "b", 1);
(globalThis as { keep?: unknown }).keep = db;
parentPort?.postMessage("up");
setInterval(() => {}, 1000);
