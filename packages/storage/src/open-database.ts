import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { Kysely } from "kysely";
import { StarStreamerError } from "starstreamer";
import { StorageErrorCodes } from "./errors.ts";
import { QueuedSqliteDialect } from "./queued-sqlite-dialect.ts";
import { cachingStatements, DEFAULT_STATEMENT_CACHE_SIZE } from "./statement-cache.ts";

/** A better-sqlite3 connection, as returned by {@link openSqlite}. */
export type SqliteDatabase = Database.Database;

/** Options for {@link openSqlite}. */
export interface OpenSqliteOptions {
  /** Open without write access; the file must already exist. Defaults to `false`. */
  readonly?: boolean;
  /**
   * How long a statement waits for another connection's write lock before failing with
   * `SQLITE_BUSY`, in milliseconds. Defaults to 5000.
   */
  busyTimeoutMs?: number;
}

/** The `busy_timeout` used when {@link OpenSqliteOptions.busyTimeoutMs} is not given. */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

const IN_MEMORY = ":memory:";

/**
 * Opens a SQLite file with the settings every StarStreamer database uses: the parent folder is
 * created, `journal_mode = WAL` (readers never block the writer), `busy_timeout` (a second writer
 * waits instead of failing), `synchronous = NORMAL` (safe with WAL, far fewer fsyncs) and
 * `foreign_keys = ON`.
 *
 * Throws `SS_STORAGE_OPEN_FAILED` naming the file and the reason when it cannot be opened.
 *
 * @example
 * const sqlite = openSqlite("data/starstreamer.db");
 * sqlite.pragma("journal_mode", { simple: true }); // "wal"
 */
export function openSqlite(file: string, options: OpenSqliteOptions = {}): SqliteDatabase {
  const readonly = options.readonly ?? false;
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  if (!Number.isInteger(busyTimeoutMs) || busyTimeoutMs < 0) {
    throw new StarStreamerError(
      StorageErrorCodes.OPEN_FAILED,
      `Cannot open SQLite file ${file}: busyTimeoutMs must be a whole number of milliseconds >= 0, got ${busyTimeoutMs}.`,
      { data: { file, busyTimeoutMs } },
    );
  }

  let sqlite: SqliteDatabase | undefined;
  try {
    if (!readonly && file !== IN_MEMORY && file !== "") mkdirSync(dirname(file), { recursive: true });
    sqlite = new Database(file, { readonly, fileMustExist: readonly });
    // busy_timeout first: switching to WAL needs a lock another connection may be holding.
    sqlite.pragma(`busy_timeout = ${busyTimeoutMs}`);
    // A read-only connection cannot change the journal mode; it follows whatever the writer set.
    if (!readonly) sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("synchronous = NORMAL");
    sqlite.pragma("foreign_keys = ON");
    return sqlite;
  } catch (error) {
    sqlite?.close();
    const reason = error instanceof Error ? error.message : String(error);
    throw new StarStreamerError(StorageErrorCodes.OPEN_FAILED, `Cannot open SQLite file ${file}: ${reason}`, {
      cause: error,
      data: { file, readonly, reason },
    });
  }
}

/** Options for {@link createKysely}. */
export interface CreateKyselyOptions {
  /** Prepared statements kept for reuse, by SQL text (least recently used dropped). Defaults to 200. */
  statementCacheSize?: number;
}

/**
 * Wraps an open better-sqlite3 connection in a typed Kysely query builder that reuses prepared
 * statements (see {@link cachingStatements}) and queues waiting queries and transactions in
 * arrival order (see {@link QueuedSqliteDialect}). `db.destroy()` closes the connection.
 *
 * @example
 * interface Tables { points: { user_id: string; points: number } }
 * const db = createKysely<Tables>(openSqlite(file));
 * await db.selectFrom("points").selectAll().execute();
 */
export function createKysely<DB>(sqlite: SqliteDatabase, options: CreateKyselyOptions = {}): Kysely<DB> {
  const database = cachingStatements(sqlite, options.statementCacheSize ?? DEFAULT_STATEMENT_CACHE_SIZE);
  return new Kysely<DB>({ dialect: new QueuedSqliteDialect({ database }) });
}
