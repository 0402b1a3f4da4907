import { join } from "node:path";
import type { Kysely, Migration } from "kysely";
import { StarStreamerError } from "starstreamer";
import { StorageErrorCodes } from "./errors.ts";
import { runMigrations } from "./migrations.ts";
import { createKysely, openSqlite, type SqliteDatabase } from "./open-database.ts";

/**
 * The `dataDir` that keeps a module's database in memory, written nowhere: for tests, and for a
 * spare worker that runs the storage code once ahead of the module that will take it.
 */
export const IN_MEMORY_DATA_DIR = ":memory:";

/** The names a module database may have; also keeps the file inside `<dataDir>/modules/`. */
export const MODULE_DATABASE_NAME_PATTERN = /^[a-z][a-z0-9_-]{0,63}$/;

/** Options for {@link openModuleDatabase}. */
export interface OpenModuleDatabaseOptions {
  /**
   * The host's data folder; the file goes to `<dataDir>/modules/<module>.db`
   * ({@link IN_MEMORY_DATA_DIR}: a database in memory, gone when closed).
   */
  dataDir: string;
  /** The module's name (lowercase letters, digits, `_` and `-`, starting with a letter, at most 64). */
  module: string;
  /** The module's migrations, applied before this resolves. Name them `001_...`, `002_...`. */
  migrations?: Record<string, Migration>;
  /** See {@link OpenSqliteOptions.busyTimeoutMs}; defaults to 5000. */
  busyTimeoutMs?: number;
}

/** A module's own database, as returned by {@link openModuleDatabase}. */
export interface ModuleDatabase {
  /** Kysely over the module's file; modules type it with their own tables interface. */
  // biome-ignore lint/suspicious/noExplicitAny: the module declares its own tables.
  readonly db: Kysely<any>;
  /** The raw better-sqlite3 connection, for synchronous work or pragmas. */
  readonly sqlite: SqliteDatabase;
  /** The path of the module's file. */
  readonly file: string;
  /** Closes the connection; later calls do nothing. */
  close(): Promise<void>;
}

/**
 * Where a module's database lives: `<dataDir>/modules/<module>.db` (`:memory:` for
 * {@link IN_MEMORY_DATA_DIR}). Throws
 * `SS_STORAGE_MODULE_NAME_INVALID` for a name that does not match
 * {@link MODULE_DATABASE_NAME_PATTERN}, so a name like `../x` cannot reach outside the folder.
 */
export function moduleDatabasePath(dataDir: string, module: string): string {
  if (typeof module !== "string" || !MODULE_DATABASE_NAME_PATTERN.test(module)) {
    throw new StarStreamerError(
      StorageErrorCodes.MODULE_NAME_INVALID,
      `Module name ${JSON.stringify(module)} cannot name a database file: use 1 to 64 lowercase letters, ` +
        "digits, '_' or '-', starting with a letter.",
      { data: { module, pattern: MODULE_DATABASE_NAME_PATTERN.source } },
    );
  }
  return dataDir === IN_MEMORY_DATA_DIR ? IN_MEMORY_DATA_DIR : join(dataDir, "modules", `${module}.db`);
}

/**
 * Opens a module's own SQLite file (WAL, busy timeout, foreign keys on) and applies its migrations
 * with the module as owner. Every module has its own file, so modules never see each other's
 * tables and their workers never wait on each other's writes.
 *
 * Call it from the module's worker thread, once per worker (better-sqlite3 connections cannot be
 * shared between threads), and close it when the worker stops so the WAL is checkpointed.
 *
 * Throws `SS_STORAGE_MODULE_NAME_INVALID`, `SS_STORAGE_OPEN_FAILED` or `SS_STORAGE_MIGRATION_FAILED`.
 *
 * @example
 * const { db, close } = await openModuleDatabase({
 *   dataDir,
 *   module: "points",
 *   migrations: { "001_create_points": { up: (db) => db.schema.createTable("points")
 *     .addColumn("user_id", "text", (c) => c.primaryKey()).execute() } },
 * });
 */
export async function openModuleDatabase(options: OpenModuleDatabaseOptions): Promise<ModuleDatabase> {
  const file = moduleDatabasePath(options.dataDir, options.module);
  const sqlite = openSqlite(
    file,
    options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs },
  );
  // biome-ignore lint/suspicious/noExplicitAny: the module declares its own tables.
  const db = createKysely<any>(sqlite);
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= db.destroy();
    return closing;
  };
  try {
    await runMigrations(db, options.migrations ?? {}, { owner: options.module });
  } catch (error) {
    await close();
    throw error;
  }
  return { db, sqlite, file, close };
}
