import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Kysely, SqliteDialect, sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openSqlite, type SqliteDatabase } from "./open-database.ts";
import { type CachingDatabase, cachingStatements } from "./statement-cache.ts";

interface Tables {
  items: { id: number; name: string };
}

let dir: string;
let sqlite: SqliteDatabase;
let cache: CachingDatabase;
let db: Kysely<Tables>;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "ss-statements-"));
  sqlite = openSqlite(join(dir, "a.db"));
  sqlite.exec("create table items (id integer primary key, name text not null)");
  cache = cachingStatements(sqlite, 4);
  db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: cache }) });
});
afterEach(async () => {
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
});

const byId = (id: number) => db.selectFrom("items").select("name").where("id", "=", id).executeTakeFirst();

describe("cachingStatements", () => {
  it("compiles a query once and binds each call's own parameters to the reused statement", async () => {
    await db.insertInto("items").values({ id: 1, name: "one" }).execute();
    await db.insertInto("items").values({ id: 2, name: "two" }).execute();
    expect(cache.misses).toBe(1);
    expect(cache.hits).toBe(1);
    expect(await byId(1)).toEqual({ name: "one" });
    expect(await byId(2)).toEqual({ name: "two" });
    expect(await byId(3)).toBeUndefined();
    expect(cache.misses).toBe(2);
    expect(cache.hits).toBe(3);
  });

  it("keeps at most its size, dropping the least recently used statement", async () => {
    const queries = [1, 2, 3, 4, 5].map((n) => sql<{ n: number }>`select ${sql.lit(n)} as n`);
    for (const q of queries.slice(0, 4)) await q.execute(db);
    await queries[0]!.execute(db); // 1 is now the most recent; 2 is the oldest
    await queries[4]!.execute(db); // 5 pushes 2 out
    expect(cache.cached).toBe(4);
    const misses = cache.misses;
    await queries[0]!.execute(db);
    expect(cache.misses).toBe(misses);
    const { rows } = await queries[1]!.execute(db);
    expect(rows).toEqual([{ n: 2 }]);
    expect(cache.misses).toBe(misses + 1);
    expect(cache.cached).toBe(4);
  });

  it("sees schema changes made after a statement was cached", async () => {
    await db.insertInto("items").values({ id: 1, name: "one" }).execute();
    const all = () => db.selectFrom("items").selectAll().execute();
    expect(await all()).toEqual([{ id: 1, name: "one" }]);
    sqlite.exec("alter table items add column price integer not null default 5");
    expect(await all()).toEqual([{ id: 1, name: "one", price: 5 }]);
    sqlite.exec("drop table items");
    await expect(all()).rejects.toThrow(/no such table/);
  });

  it("hands out a fresh statement while the cached one is still being iterated", async () => {
    await db
      .insertInto("items")
      .values([1, 2, 3].map((id) => ({ id, name: `n${id}` })))
      .execute();
    // Kysely serialises queries on its one connection, so only a caller of `prepare` outside it
    // (or a stream left open) can meet a busy statement; better-sqlite3 would refuse to reuse it.
    const text = "select id from items order by id";
    const streaming = cache.prepare(text);
    const rows = streaming.iterate([]);
    expect(rows.next().value).toEqual({ id: 1 });
    const other = cache.prepare(text);
    expect(other).not.toBe(streaming);
    expect(other.all([])).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    expect([...rows]).toEqual([{ id: 2 }, { id: 3 }]);
    expect(cache.prepare(text)).toBe(streaming);
  });

  it("does not cache a statement that failed to compile", async () => {
    await expect(sql`select * from missing`.execute(db)).rejects.toThrow(/no such table/);
    expect(cache.cached).toBe(0);
    sqlite.exec("create table missing (x integer)");
    const { rows } = await sql`select * from missing`.execute(db);
    expect(rows).toEqual([]);
  });

  it("closes the connection when Kysely is destroyed", async () => {
    await byId(1);
    await db.destroy();
    expect(sqlite.open).toBe(false);
    expect(cache.cached).toBe(0);
  });

  it("refuses a size that is not a whole number of at least 1", () => {
    expect(() => cachingStatements(sqlite, 0)).toThrow(RangeError);
    expect(() => cachingStatements(sqlite, 1.5)).toThrow(RangeError);
  });
});
