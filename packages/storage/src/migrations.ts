import {
  type Kysely,
  type Migration,
  type MigrationProvider,
  type MigrationResult,
  Migrator,
  sql,
} from "kysely";
import { StarStreamerError } from "starstreamer";
import { StorageErrorCodes } from "./errors.ts";

export type { Migration } from "kysely";

/** Options for {@link runMigrations}. */
export interface RunMigrationsOptions {
  /** Who the migrations belong to, for error messages: a module name, or `"host"`. */
  owner: string;
  /**
   * The table that records which migrations ran (its lock table gets a `_lock` suffix). Defaults
   * to Kysely's `kysely_migration`.
   */
  tableName?: string;
}

/**
 * Applies the migrations that have not run yet on this database, in the order of their names, and
 * returns the names applied in this run (empty when the database was already up to date).
 *
 * Names sort as plain strings, so give them a zero-padded prefix: `001_create_points`,
 * `002_add_streaks`. Never rename or remove a migration that has shipped, and add new ones after
 * the last: the runner refuses a history it does not recognise.
 *
 * Each migration runs in its own transaction, so one that throws leaves the file as it was before
 * that migration (those before it stay applied). For that reason a migration must not open a
 * transaction itself, and `PRAGMA foreign_keys` has no effect inside one.
 *
 * Throws `SS_STORAGE_MIGRATION_FAILED` naming the owner, the migration and the cause.
 *
 * @example
 * await runMigrations(db, {
 *   "001_create_points": {
 *     up: (db) => db.schema.createTable("points")
 *       .addColumn("user_id", "text", (c) => c.primaryKey())
 *       .addColumn("points", "integer", (c) => c.notNull().defaultTo(0))
 *       .execute(),
 *   },
 * }, { owner: "points" });
 */
export async function runMigrations(
  // biome-ignore lint/suspicious/noExplicitAny: migrations run against a schema that is still being built.
  db: Kysely<any>,
  migrations: Record<string, Migration>,
  options: RunMigrationsOptions,
): Promise<string[]> {
  const { owner } = options;
  const ownerLabel = describeOwner(owner);
  for (const [name, migration] of Object.entries(migrations)) {
    if (typeof migration?.up !== "function") {
      throw new StarStreamerError(
        StorageErrorCodes.MIGRATION_FAILED,
        `Migration "${name}" of ${ownerLabel} has no up() function; export { up(db) { ... } } for each migration.`,
        { data: { owner, migration: name, applied: [] } },
      );
    }
  }

  // Every start of a module opens its database: when exactly these migrations have run, one query
  // says so, and the migrator (its lock table and schema introspection) is not needed.
  if (await alreadyApplied(db, Object.keys(migrations), options.tableName ?? "kysely_migration")) return [];

  const provider: MigrationProvider = {
    getMigrations: async () =>
      Object.fromEntries(Object.entries(migrations).map(([name, m]) => [name, atomic(m)])),
  };
  const migrator = new Migrator({
    db,
    provider,
    ...(options.tableName === undefined
      ? {}
      : { migrationTableName: options.tableName, migrationLockTableName: `${options.tableName}_lock` }),
  });

  const { error, results = [] } = await migrator.migrateToLatest();
  const applied = results.filter((r) => r.status === "Success").map((r) => r.migrationName);
  if (error === undefined) return applied;

  const failed: MigrationResult | undefined = results.find((r) => r.status === "Error");
  const reason = error instanceof Error ? error.message : String(error);
  const message =
    failed === undefined
      ? `Migrations of ${ownerLabel} could not run: ${reason}`
      : `Migration "${failed.migrationName}" of ${ownerLabel} failed: ${reason}` +
        (applied.length > 0 ? ` (applied before it: ${applied.join(", ")})` : "");
  throw new StarStreamerError(StorageErrorCodes.MIGRATION_FAILED, message, {
    cause: error,
    data: { owner, migration: failed?.migrationName ?? null, applied, reason },
  });
}

/**
 * True when the migration table lists exactly `names` (no more, no fewer). Any doubt (no table yet,
 * a name missing or unknown) is false, and the migrator then applies or reports as usual.
 */
async function alreadyApplied(
  // biome-ignore lint/suspicious/noExplicitAny: the migration table is Kysely's, not the module's.
  db: Kysely<any>,
  names: readonly string[],
  table: string,
): Promise<boolean> {
  let rows: Array<{ name: string }>;
  try {
    ({ rows } = await sql<{ name: string }>`select name from ${sql.table(table)}`.execute(db));
  } catch {
    return false;
  }
  const applied = new Set(rows.map((r) => r.name));
  return applied.size === names.length && names.every((name) => applied.has(name));
}

function describeOwner(owner: string): string {
  return owner === "host" ? "the host" : `module "${owner}"`;
}

/** Runs a migration's steps in one transaction, so a failure halfway does not leave half a schema. */
function atomic(migration: Migration): Migration {
  const wrapped: Migration = { up: (db) => db.transaction().execute((trx) => migration.up(trx)) };
  const { down } = migration;
  if (down !== undefined) wrapped.down = (db) => db.transaction().execute((trx) => down(trx));
  return wrapped;
}
