import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { StarStreamerError } from "starstreamer";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createKysely, openSqlite } from "./open-database.ts";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "ss-storage-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("openSqlite", () => {
  it("creates the parent folder and turns on WAL, busy_timeout, synchronous NORMAL and foreign keys", () => {
    const sqlite = openSqlite(join(dir, "nested", "deeper", "a.db"));
    try {
      expect(sqlite.pragma("journal_mode", { simple: true })).toBe("wal");
      expect(sqlite.pragma("busy_timeout", { simple: true })).toBe(5000);
      expect(sqlite.pragma("synchronous", { simple: true })).toBe(1); // NORMAL
      expect(sqlite.pragma("foreign_keys", { simple: true })).toBe(1);
    } finally {
      sqlite.close();
    }
  });

  it("uses the busy timeout it is given", () => {
    const sqlite = openSqlite(join(dir, "a.db"), { busyTimeoutMs: 1234 });
    expect(sqlite.pragma("busy_timeout", { simple: true })).toBe(1234);
    sqlite.close();
  });

  it("opens read-only on an existing WAL file and refuses writes", () => {
    const file = join(dir, "a.db");
    const writer = openSqlite(file);
    writer.exec("create table t (x integer)");
    const reader = openSqlite(file, { readonly: true });
    try {
      expect(reader.pragma("journal_mode", { simple: true })).toBe("wal");
      expect(() => reader.exec("insert into t values (1)")).toThrow(/readonly/);
    } finally {
      reader.close();
      writer.close();
    }
  });

  it("throws SS_STORAGE_OPEN_FAILED naming the path and reason for a file that is not a database", () => {
    const file = join(dir, "junk.db");
    writeFileSync(file, "this is not a sqlite file, just some text that is long enough ".repeat(20));
    const error = catchError(() => openSqlite(file));
    expect(error).toBeInstanceOf(StarStreamerError);
    expect(error).toMatchObject({ code: "SS_STORAGE_OPEN_FAILED", data: { file } });
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toMatch(/not a database/);
    expect((error as Error).cause).toBeInstanceOf(Error);
  });

  it("throws SS_STORAGE_OPEN_FAILED when the path is a folder", () => {
    expect(() => openSqlite(dir)).toThrow(expect.objectContaining({ code: "SS_STORAGE_OPEN_FAILED" }));
  });

  it("throws SS_STORAGE_OPEN_FAILED for a read-only open of a missing file, without creating it", () => {
    const file = join(dir, "missing", "a.db");
    expect(() => openSqlite(file, { readonly: true })).toThrow(
      expect.objectContaining({ code: "SS_STORAGE_OPEN_FAILED" }),
    );
  });
});

describe("createKysely", () => {
  it("queries the given connection and closes it on destroy", async () => {
    const sqlite = openSqlite(join(dir, "a.db"));
    const db = createKysely<{ t: { x: number } }>(sqlite);
    await db.schema.createTable("t").addColumn("x", "integer").execute();
    await db.insertInto("t").values({ x: 7 }).execute();
    expect(await db.selectFrom("t").select("x").execute()).toEqual([{ x: 7 }]);
    expect((await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db)).rows).toEqual([
      { journal_mode: "wal" },
    ]);
    await db.destroy();
    expect(sqlite.open).toBe(false);
  });

  it("compiles each SQL text once, however often the query runs, up to the cache size", async () => {
    const sqlite = openSqlite(join(dir, "a.db"));
    const compiled: string[] = [];
    const prepare = sqlite.prepare.bind(sqlite);
    sqlite.prepare = ((text: string) => {
      compiled.push(text);
      return prepare(text);
    }) as typeof sqlite.prepare;
    const db = createKysely<{ t: { x: number } }>(sqlite, { statementCacheSize: 2 });
    await db.schema.createTable("t").addColumn("x", "integer").execute();
    for (let x = 0; x < 5; x++) await db.insertInto("t").values({ x }).execute();
    const rows = await db.selectFrom("t").select("x").where("x", ">=", 3).execute();
    expect(rows).toEqual([{ x: 3 }, { x: 4 }]);
    expect(compiled.filter((text) => text.startsWith("insert"))).toHaveLength(1);
    // Two more texts push the insert out of a cache of two: it is compiled again.
    await db.selectFrom("t").selectAll().execute();
    await db.insertInto("t").values({ x: 9 }).execute();
    expect(compiled.filter((text) => text.startsWith("insert"))).toHaveLength(2);
    await db.destroy();
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}
