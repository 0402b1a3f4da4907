import type { ModuleWorker } from "../host/module-worker.ts";
import type { ModuleRecord } from "../registry/module-record.ts";
import type { Spawner } from "./spawn.ts";

/** How long after a spare is taken (or found missing) a new one starts: after the reload that took it. */
const REFILL_DELAY_MS = 250;

/**
 * What a new spare imports ahead of use: the vendor bundles of the loaded modules, and the storage
 * entry when one of them has a database.
 */
export function importsOfLoaded(records: Iterable<ModuleRecord>, databaseEntryUrl: string): string[] {
  const loaded = [...records].filter((r) => r.worker);
  const urls = new Set(loaded.flatMap((r) => r.build?.externals ?? []));
  if (loaded.some((r) => r.manifest?.usesDatabase)) urls.add(databaseEntryUrl);
  return [...urls];
}

/** What the spare pool is built from. */
export interface SparePoolOptions {
  enabled: boolean;
  spawner: Spawner;
  /** URLs to import into a new spare ahead of use (what the loaded modules import besides their own code). */
  warmUrls(): string[];
}

/**
 * One warm worker bound to no module: its thread booted, the worker runtime loaded, and the
 * packages the loaded modules use (and the storage entry, when one of them has a database)
 * imported. Any module's next load, reload or restart takes it (when that module runs with the
 * default heap cap and environment) and skips that work; a new spare starts shortly after each
 * use, once the reload that took it is done. At most one. A module without a database that takes
 * a spare warmed with the storage entry carries it (Kysely and better-sqlite3 loaded and run once
 * on a database in memory, unused).
 */
export class SparePool {
  readonly #options: SparePoolOptions;
  #spare: ModuleWorker | null = null;
  #timer: NodeJS.Timeout | null = null;
  #closed = false;
  /** What the current spare has been asked to import. */
  #warmed = new Set<string>();

  constructor(options: SparePoolOptions) {
    this.#options = options;
  }

  /** Whether a spare worker is waiting. */
  get ready(): boolean {
    return this.#spare !== null && !this.#spare.dead;
  }

  /** Binds the spare to `record` and hands it over, or null (none, or the module needs its own limits). */
  take(record: ModuleRecord): ModuleWorker | null {
    if (!this.#options.enabled || this.#closed) return null;
    this.#scheduleRefill();
    const spare = this.#spare;
    if (!spare || spare.dead || !this.#options.spawner.bind(spare, record)) return null;
    this.#spare = null;
    spare.keepsProcessAlive(true);
    return spare;
  }

  /**
   * Starts a spare now if there is none, and has the spare import what the loaded modules import
   * and it has not imported yet. A spare started while modules were still loading (at host start,
   * when the first module's load schedules one) catches up here once they have loaded.
   */
  refill(): void {
    if (!this.#options.enabled || this.#closed) return;
    if (!this.ready) {
      const spare = this.#options.spawner.spare();
      spare.keepsProcessAlive(false);
      this.#spare = spare;
      this.#warmed = new Set();
      spare.onDeath(() => {
        if (this.#spare === spare) this.#spare = null;
      });
    }
    this.#warm();
  }

  /** Terminates the spare; no new one starts. */
  close(): void {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    const spare = this.#spare;
    this.#spare = null;
    void spare?.terminate();
  }

  #warm(): void {
    const spare = this.#spare;
    const urls = this.#options.warmUrls().filter((url) => !this.#warmed.has(url));
    if (!spare || urls.length === 0) return;
    for (const url of urls) this.#warmed.add(url);
    void spare.call((api) => api.warm(urls), 10_000).catch(() => {});
  }

  #scheduleRefill(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.refill();
    }, REFILL_DELAY_MS);
    this.#timer.unref();
  }
}
