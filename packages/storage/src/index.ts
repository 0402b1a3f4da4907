/**
 * StarStreamer storage: Kysely over better-sqlite3, the host's own tables and one SQLite file per
 * module.
 *
 * @packageDocumentation
 */

export { type StorageErrorCode, StorageErrorCodes } from "./errors.ts";
export {
  type HostStore,
  type HostTables,
  hostMigrations,
  openHostStore,
  type PersistedModuleState,
  type ReloadEntry,
  type ReloadRecord,
  type ReloadStats,
} from "./host-store.ts";
export { type Migration, type RunMigrationsOptions, runMigrations } from "./migrations.ts";
export {
  IN_MEMORY_DATA_DIR,
  MODULE_DATABASE_NAME_PATTERN,
  type ModuleDatabase,
  moduleDatabasePath,
  type OpenModuleDatabaseOptions,
  openModuleDatabase,
} from "./module-database.ts";
export {
  type CreateKyselyOptions,
  createKysely,
  DEFAULT_BUSY_TIMEOUT_MS,
  type OpenSqliteOptions,
  openSqlite,
  type SqliteDatabase,
} from "./open-database.ts";
export { QueuedSqliteDialect } from "./queued-sqlite-dialect.ts";
export { type CachingDatabase, cachingStatements, DEFAULT_STATEMENT_CACHE_SIZE } from "./statement-cache.ts";
