import type { SqliteDatabase as KyselySqliteDatabase, SqliteStatement } from "kysely";
import type { SqliteDatabase } from "./open-database.ts";

/** How many prepared statements {@link cachingStatements} keeps per connection by default. */
export const DEFAULT_STATEMENT_CACHE_SIZE = 200;

/** The connection Kysely sees, with the cache's counters for tests and diagnostics. */
export interface CachingDatabase extends KyselySqliteDatabase {
  /** Statements held now (at most the cache's size). */
  readonly cached: number;
  /** How many `prepare` calls were answered from the cache. */
  readonly hits: number;
  /** How many `prepare` calls compiled a statement. */
  readonly misses: number;
}

/**
 * Wraps a better-sqlite3 connection for Kysely's `SqliteDialect` so that `prepare` keeps the
 * compiled statement of each SQL text, least recently used dropped past `size`. Kysely's driver
 * prepares on every query; a module runs the same few queries over and over, and compiling them
 * was about a quarter of a small transaction's cost.
 *
 * Reuse is safe because better-sqlite3 statements bind their parameters on each call and reset
 * after it, and SQLite re-prepares a statement by itself when the schema changes. The one state a
 * statement keeps is an open iterator (`iterate`, Kysely's `stream()`): a statement that is busy
 * that way is not handed out again; the caller gets a freshly compiled one instead.
 *
 * @example
 * const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: cachingStatements(sqlite) }) });
 */
export function cachingStatements(
  sqlite: SqliteDatabase,
  size: number = DEFAULT_STATEMENT_CACHE_SIZE,
): CachingDatabase {
  if (!Number.isInteger(size) || size < 1) {
    throw new RangeError(`statement cache size must be a whole number >= 1, got ${size}`);
  }
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
  const statements = new Map<string, SqliteStatement & { readonly busy: boolean }>();
  let hits = 0;
  let misses = 0;
  return {
    prepare(sql: string): SqliteStatement {
      const cached = statements.get(sql);
      if (cached && !cached.busy) {
        hits++;
        statements.delete(sql);
        statements.set(sql, cached);
        return cached;
      }
      misses++;
      const statement = sqlite.prepare(sql);
      // A busy cached statement stays where it is: its iterator still owns it.
      if (cached) return statement;
      statements.set(sql, statement);
      if (statements.size > size) {
        const oldest = statements.keys().next().value as string;
        statements.delete(oldest);
      }
      return statement;
    },
    close(): void {
      statements.clear();
      sqlite.close();
    },
    get cached() {
      return statements.size;
    },
    get hits() {
      return hits;
    },
    get misses() {
      return misses;
    },
  };
}
