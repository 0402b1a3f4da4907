import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Kysely, type Migration, sql } from "kysely";
import { StarStreamerError } from "starstreamer";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runMigrations } from "./migrations.ts";
import { createKysely, openSqlite } from "./open-database.ts";

// biome-ignore lint/suspicious/noExplicitAny: migrations run against an untyped schema.
let db: Kysely<any>;
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "ss-storage-"));
  db = createKysely(openSqlite(join(dir, "m.db")));
});
afterEach(async () => {
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
});

const createPoints: Migration = {
  up: (db) =>
    db.schema
      .createTable("points")
      .addColumn("user_id", "text", (c) => c.primaryKey())
      .execute(),
};
const addStreaks: Migration = {
  up: (db) => db.schema.alterTable("points").addColumn("streak", "integer").execute(),
};

async function tables(): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`.execute(
    db,
  );
  return rows.map((r) => r.name);
}

describe("runMigrations", () => {
  it("applies migrations in name order and returns the names applied in this run", async () => {
    // Given out of order on purpose: 002 alters the table 001 creates.
    const applied = await runMigrations(
      db,
      { "002_add_streaks": addStreaks, "001_create_points": createPoints },
      { owner: "points" },
    );
    expect(applied).toEqual(["001_create_points", "002_add_streaks"]);
    expect(await tables()).toContain("points");
  });

  it("applies nothing and returns an empty list the second time", async () => {
    const migrations = { "001_create_points": createPoints };
    await runMigrations(db, migrations, { owner: "points" });
    expect(await runMigrations(db, migrations, { owner: "points" })).toEqual([]);
  });

  it("applies only migrations added since the last run", async () => {
    await runMigrations(db, { "001_create_points": createPoints }, { owner: "points" });
    const applied = await runMigrations(
      db,
      { "001_create_points": createPoints, "002_add_streaks": addStreaks },
      { owner: "points" },
    );
    expect(applied).toEqual(["002_add_streaks"]);
  });

  it("records runs in the table it is given", async () => {
    await runMigrations(
      db,
      { "001_create_points": createPoints },
      { owner: "points", tableName: "points_migrations" },
    );
    expect(await tables()).toEqual(expect.arrayContaining(["points_migrations", "points_migrations_lock"]));
    expect(await tables()).not.toContain("kysely_migration");
  });

  it("throws SS_STORAGE_MIGRATION_FAILED naming module and migration, keeps earlier ones and rolls back the failed one", async () => {
    const failing: Migration = {
      async up(db) {
        await db.schema.createTable("half_done").addColumn("x", "integer").execute();
        await sql`select * from no_such_table`.execute(db);
      },
    };
    const error = await runMigrations(
      db,
      { "001_create_points": createPoints, "002_broken": failing, "003_add_streaks": addStreaks },
      { owner: "points" },
    ).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(StarStreamerError);
    expect(error).toMatchObject({
      code: "SS_STORAGE_MIGRATION_FAILED",
      data: { owner: "points", migration: "002_broken", applied: ["001_create_points"] },
    });
    const { message, cause } = error as StarStreamerError;
    expect(message).toContain('module "points"');
    expect(message).toContain("002_broken");
    expect(message).toContain("no such table");
    expect(cause).toBeInstanceOf(Error);

    const names = await tables();
    expect(names).toContain("points");
    expect(names).not.toContain("half_done");
    const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
    expect(rows.map((r) => r.name)).toEqual(["001_create_points"]);
  });

  it("names the host when the host's migrations fail", async () => {
    const failing: Migration = { up: (db) => sql`nonsense`.execute(db).then(() => undefined) };
    await expect(runMigrations(db, { "001_x": failing }, { owner: "host" })).rejects.toThrow(
      /Migration "001_x" of the host failed/,
    );
  });

  it("throws SS_STORAGE_MIGRATION_FAILED when a migration that already ran is missing", async () => {
    await runMigrations(db, { "001_create_points": createPoints }, { owner: "points" });
    await expect(
      runMigrations(db, { "002_add_streaks": addStreaks }, { owner: "points" }),
    ).rejects.toMatchObject({
      code: "SS_STORAGE_MIGRATION_FAILED",
      data: { owner: "points", migration: null },
    });
  });

  it("throws SS_STORAGE_MIGRATION_FAILED for a migration without up()", async () => {
    await expect(
      runMigrations(db, { "001_nothing": {} as unknown as Migration }, { owner: "points" }),
    ).rejects.toMatchObject({ code: "SS_STORAGE_MIGRATION_FAILED", data: { migration: "001_nothing" } });
  });
});

describe("runMigrations on a database that is up to date", () => {
  it("answers from the migration table alone, and runs the migrator again once there is a new one", async () => {
    expect(await runMigrations(db, { "001_points": createPoints }, { owner: "points" })).toEqual([
      "001_points",
    ]);
    // The migrator keeps a lock table; the fast path never touches it, so it stays gone.
    await sql`drop table kysely_migration_lock`.execute(db);
    expect(await runMigrations(db, { "001_points": createPoints }, { owner: "points" })).toEqual([]);
    expect(await tables()).not.toContain("kysely_migration_lock");
    // A new migration: the migrator runs (and makes its lock table again).
    expect(
      await runMigrations(db, { "001_points": createPoints, "002_streaks": addStreaks }, { owner: "points" }),
    ).toEqual(["002_streaks"]);
    expect(await tables()).toContain("kysely_migration_lock");
  });

  it("still refuses a history it does not recognise (a shipped migration removed)", async () => {
    await runMigrations(db, { "001_points": createPoints, "002_streaks": addStreaks }, { owner: "points" });
    await expect(runMigrations(db, { "002_streaks": addStreaks }, { owner: "points" })).rejects.toMatchObject(
      {
        code: "SS_STORAGE_MIGRATION_FAILED",
      },
    );
  });
});
