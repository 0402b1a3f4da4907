import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Kysely } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openSqlite } from "./open-database.ts";
import { QueuedSqliteDialect } from "./queued-sqlite-dialect.ts";

interface Tables {
  log: { seq: number; entry: string };
}

let dir: string;
let db: Kysely<Tables>;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "ss-queued-"));
  const sqlite = openSqlite(join(dir, "a.db"));
  sqlite.exec("create table log (seq integer primary key, entry text not null)");
  db = new Kysely<Tables>({ dialect: new QueuedSqliteDialect({ database: sqlite }) });
});
afterEach(async () => {
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
});

const entries = async () =>
  (await db.selectFrom("log").select("entry").orderBy("seq").execute()).map((r) => r.entry);

describe("QueuedSqliteDialect", () => {
  it("runs transactions started together one at a time, in the order they were started", async () => {
    const started = Array.from({ length: 50 }, (_, i) =>
      db.transaction().execute(async (trx) => {
        await trx
          .insertInto("log")
          .values({ seq: i * 2, entry: `${i}:begin` })
          .execute();
        // A real wait inside the transaction: nobody else may take the connection meanwhile.
        if (i % 7 === 0) await new Promise((resolve) => setTimeout(resolve, 2));
        await trx
          .insertInto("log")
          .values({ seq: i * 2 + 1, entry: `${i}:end` })
          .execute();
        return i;
      }),
    );
    expect(await Promise.all(started)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(await entries()).toEqual(Array.from({ length: 50 }, (_, i) => [`${i}:begin`, `${i}:end`]).flat());
  });

  it("hands the connection on after a transaction that throws, which is rolled back", async () => {
    const failing = db.transaction().execute(async (trx) => {
      await trx.insertInto("log").values({ seq: 1, entry: "rolled back" }).execute();
      throw new Error("refused");
    });
    const next = db.insertInto("log").values({ seq: 2, entry: "kept" }).execute();
    await expect(failing).rejects.toThrow("refused");
    await next;
    expect(await entries()).toEqual(["kept"]);
    // And the queue is free again for later work.
    await db.insertInto("log").values({ seq: 3, entry: "later" }).execute();
    expect(await entries()).toEqual(["kept", "later"]);
  });

  it("queues a query behind a stream that holds the connection", async () => {
    await db
      .insertInto("log")
      .values([1, 2, 3].map((seq) => ({ seq, entry: `row${seq}` })))
      .execute();
    const order: string[] = [];
    let insert: Promise<unknown> | undefined;
    for await (const row of db.selectFrom("log").select("entry").orderBy("seq").stream()) {
      order.push(row.entry);
      insert ??= db
        .insertInto("log")
        .values({ seq: 4, entry: "row4" })
        .execute()
        .then(() => order.push("inserted"));
    }
    await insert;
    expect(order).toEqual(["row1", "row2", "row3", "inserted"]);
  });
});
