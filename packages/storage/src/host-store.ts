import { type Generated, type Kysely, type Migration, sql } from "kysely";
import { runMigrations } from "./migrations.ts";
import { createKysely, type OpenSqliteOptions, openSqlite } from "./open-database.ts";
import { createTwitchTokensMigration, type TwitchTokenTables } from "./token-store.ts";

/** The host's own tables in `<dataDir>/starstreamer.db`, as Kysely sees them. */
export interface HostTables {
  /** Whether each module is enabled; a module with no row uses its default. */
  module_states: {
    name: string;
    /** 1 enabled, 0 disabled. */
    enabled: number;
    /** Epoch milliseconds of the last change. */
    updated_at: number;
  };
  /** One row per load or reload attempt of a module. */
  reload_history: {
    id: Generated<number>;
    module: string;
    /** 1 succeeded, 0 failed. */
    ok: number;
    duration_ms: number;
    error: string | null;
    version: string | null;
    /** Epoch milliseconds when the attempt finished. */
    at: number;
  };
  /** Saved Twitch logins (see token-store.ts); secrets. */
  twitch_tokens: TwitchTokenTables["twitch_tokens"];
}

/** A module's persisted enabled flag, as returned by {@link HostStore.moduleStates}. */
export interface PersistedModuleState {
  enabled: boolean;
  /** Epoch milliseconds of the last change. */
  updatedAt: number;
}

/** One load or reload attempt, as passed to {@link HostStore.recordReload}. */
export interface ReloadRecord {
  module: string;
  ok: boolean;
  durationMs: number;
  /** What went wrong when `ok` is false. */
  error?: string | null;
  /** The module version that was (or failed to be) loaded. */
  version?: string | null;
  /** Epoch milliseconds; defaults to now. */
  at?: number;
}

/** One row of {@link HostStore.reloadHistory}. */
export interface ReloadEntry {
  id: number;
  module: string;
  ok: boolean;
  durationMs: number;
  error: string | null;
  version: string | null;
  at: number;
}

/** Totals over reload attempts, as returned by {@link HostStore.reloadStats}. */
export interface ReloadStats {
  successful: number;
  failed: number;
  /** Duration of the newest attempt, or `null` when there is none. */
  lastDurationMs: number | null;
  /** When the newest attempt finished, or `null` when there is none. */
  lastAt: number | null;
  /** The error of the newest attempt (`null` when it succeeded or there is none). */
  lastError: string | null;
}

/** The host's persistent state: which modules are enabled and how their reloads went. */
export interface HostStore {
  /** The Kysely handle over {@link HostTables}, for queries this API does not cover. */
  readonly db: Kysely<HostTables>;
  /** Every module with a saved enabled flag, by name. */
  moduleStates(): Promise<Map<string, PersistedModuleState>>;
  /** Saves a module's enabled flag, so it survives a restart. */
  setModuleEnabled(name: string, enabled: boolean): Promise<void>;
  /** Drops a module's saved enabled flag (its reload history stays). */
  forgetModule(name: string): Promise<void>;
  /** Appends one load or reload attempt to the history. */
  recordReload(record: ReloadRecord): Promise<void>;
  /** Counts successes and failures and reports the newest attempt, for one module or all of them. */
  reloadStats(module?: string): Promise<ReloadStats>;
  /** The newest `limit` attempts, newest first, for one module or all of them. */
  reloadHistory(options: { module?: string; limit: number }): Promise<ReloadEntry[]>;
  /** Closes the database; later calls do nothing. */
  close(): Promise<void>;
}

/** The migrations that create {@link HostTables}; owner `"host"`. Append, never edit. */
export const hostMigrations: Record<string, Migration> = {
  "001_create_module_states": {
    async up(db) {
      await db.schema
        .createTable("module_states")
        .addColumn("name", "text", (c) => c.primaryKey())
        .addColumn("enabled", "integer", (c) => c.notNull())
        .addColumn("updated_at", "integer", (c) => c.notNull())
        .execute();
    },
  },
  "002_create_reload_history": {
    async up(db) {
      await db.schema
        .createTable("reload_history")
        .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
        .addColumn("module", "text", (c) => c.notNull())
        .addColumn("ok", "integer", (c) => c.notNull())
        .addColumn("duration_ms", "real", (c) => c.notNull())
        .addColumn("error", "text")
        .addColumn("version", "text")
        .addColumn("at", "integer", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("reload_history_module_at")
        .on("reload_history")
        .columns(["module", "at"])
        .execute();
    },
  },
  "003_create_twitch_tokens": createTwitchTokensMigration,
};

/**
 * Opens (creating if needed) the host's database file, brings its tables up to date and returns
 * the API over them. Throws `SS_STORAGE_OPEN_FAILED` or `SS_STORAGE_MIGRATION_FAILED`.
 *
 * @example
 * const store = await openHostStore(join(dataDir, "starstreamer.db"));
 * await store.setModuleEnabled("points", false);
 * (await store.moduleStates()).get("points"); // { enabled: false, updatedAt: ... }
 * await store.close();
 */
export async function openHostStore(file: string, options: OpenSqliteOptions = {}): Promise<HostStore> {
  const db = createKysely<HostTables>(openSqlite(file, options));
  try {
    await runMigrations(db, hostMigrations, { owner: "host" });
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return new SqliteHostStore(db);
}

class SqliteHostStore implements HostStore {
  readonly db: Kysely<HostTables>;
  #closing: Promise<void> | undefined;

  constructor(db: Kysely<HostTables>) {
    this.db = db;
  }

  async moduleStates(): Promise<Map<string, PersistedModuleState>> {
    const rows = await this.db.selectFrom("module_states").selectAll().orderBy("name").execute();
    return new Map(rows.map((r) => [r.name, { enabled: r.enabled === 1, updatedAt: r.updated_at }]));
  }

  async setModuleEnabled(name: string, enabled: boolean): Promise<void> {
    const row = { enabled: enabled ? 1 : 0, updated_at: Date.now() };
    await this.db
      .insertInto("module_states")
      .values({ name, ...row })
      .onConflict((oc) => oc.column("name").doUpdateSet(row))
      .execute();
  }

  async forgetModule(name: string): Promise<void> {
    await this.db.deleteFrom("module_states").where("name", "=", name).execute();
  }

  async recordReload(record: ReloadRecord): Promise<void> {
    await this.db
      .insertInto("reload_history")
      .values({
        module: record.module,
        ok: record.ok ? 1 : 0,
        duration_ms: record.durationMs,
        error: record.error ?? null,
        version: record.version ?? null,
        at: record.at ?? Date.now(),
      })
      .execute();
  }

  async reloadStats(module?: string): Promise<ReloadStats> {
    let totals = this.db
      .selectFrom("reload_history")
      .select([
        sql<number>`coalesce(sum(ok), 0)`.as("successful"),
        sql<number>`count(*) - coalesce(sum(ok), 0)`.as("failed"),
      ]);
    if (module !== undefined) totals = totals.where("module", "=", module);
    const { successful, failed } = await totals.executeTakeFirstOrThrow();
    const [last] = await this.reloadHistory(module === undefined ? { limit: 1 } : { module, limit: 1 });
    return {
      successful,
      failed,
      lastDurationMs: last?.durationMs ?? null,
      lastAt: last?.at ?? null,
      lastError: last?.error ?? null,
    };
  }

  async reloadHistory(options: { module?: string; limit: number }): Promise<ReloadEntry[]> {
    const limit = Math.max(0, Math.floor(options.limit));
    if (limit === 0) return [];
    let query = this.db.selectFrom("reload_history").selectAll();
    if (options.module !== undefined) query = query.where("module", "=", options.module);
    // `id` breaks ties between attempts recorded in the same millisecond.
    const rows = await query.orderBy("at", "desc").orderBy("id", "desc").limit(limit).execute();
    return rows.map((r) => ({
      id: r.id,
      module: r.module,
      ok: r.ok === 1,
      durationMs: r.duration_ms,
      error: r.error,
      version: r.version,
      at: r.at,
    }));
  }

  close(): Promise<void> {
    this.#closing ??= this.db.destroy();
    return this.#closing;
  }
}
