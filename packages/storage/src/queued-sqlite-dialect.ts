import {
  type DatabaseConnection,
  type Driver,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
} from "kysely";

/**
 * Kysely's SQLite driver with a first-come, first-served queue for its one connection. Kysely's
 * own driver guards the connection with a lock that wakes every waiter on each release, and all
 * but one go back to sleep: with N transactions waiting that is N wake-ups per transaction (a
 * burst of 256 cost about 15 us of CPU per transaction). Here a release wakes only the next
 * waiter, in arrival order.
 */
class QueuedSqliteDriver extends SqliteDriver {
  #held = false;
  readonly #waiting: Array<() => void> = [];

  override async acquireConnection(): Promise<DatabaseConnection> {
    if (this.#held) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#held = true;
    // Kysely's lock is never contended behind this queue, so it is taken at once.
    return super.acquireConnection();
  }

  override async releaseConnection(): Promise<void> {
    await super.releaseConnection();
    const next = this.#waiting.shift();
    if (next) next();
    else this.#held = false;
  }
}

/**
 * Kysely's `SqliteDialect` (better-sqlite3) whose driver hands its connection to waiting queries
 * and transactions one at a time, in arrival order. Same config as `SqliteDialect`.
 *
 * @example
 * const db = new Kysely<Tables>({ dialect: new QueuedSqliteDialect({ database: sqlite }) });
 */
export class QueuedSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new QueuedSqliteDriver(this.#config);
  }
}
