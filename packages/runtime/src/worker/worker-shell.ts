import type { ModuleManifest } from "starstreamer/internal";
import { StarStreamerError } from "starstreamer/internal";
import { RuntimeErrorCodes } from "../errors.ts";
import { IdleCompaction } from "./idle-compaction.ts";
import type { HandlerInfo, ModuleWorkerApi, WorkerBinding, WorkerHealth } from "./protocol.ts";
import type { ModuleWorkerRuntime } from "./worker-api.ts";

/** What the storage entry (the bundle workers of modules with a database import) exports. */
type StorageEntry = typeof import("./database-entry.ts");

/** What zod's vendor bundle exports, as far as the warm-up is concerned. */
interface ZodEntry {
  z: typeof import("zod").z;
}

/** True for zod's namespace (a module's config schemas and `defineModule` options are zod). */
function isZod(entry: unknown): entry is ZodEntry {
  const z = (entry as Partial<ZodEntry> | null)?.z;
  return typeof z?.object === "function" && typeof z.string === "function" && typeof z.number === "function";
}

/**
 * Builds and parses a small config-like schema with zod, valid and invalid input, as a module's
 * import (its `config` schema) and start (config validation) do: the module then finds zod's
 * schema constructors and its parse and error paths compiled (a few ms on the reload's path).
 */
function exerciseZod({ z }: ZodEntry): void {
  const schema = z.object({
    name: z.string().min(1).default("spare"),
    count: z.number().int().optional(),
    enabled: z.boolean().default(true),
    tags: z.array(z.string()).optional(),
  });
  schema.safeParse({});
  schema.safeParse({ name: "", count: "one" });
}

/**
 * Runs the storage code a module's start runs (open SQLite, Kysely, the migration check, a
 * transaction and a query through the query builder) on a database in memory, then closes it.
 * V8 compiles a function when it first runs: in a fresh worker the first database open cost 20-30
 * ms (more on a busy machine) and the module's first query several more, all on the reload's path.
 * Run once in the spare, that work is done before a module takes it.
 */
async function exerciseStorage({ openModuleDatabase, IN_MEMORY_DATA_DIR }: StorageEntry): Promise<void> {
  const { db, close } = await openModuleDatabase({
    dataDir: IN_MEMORY_DATA_DIR,
    module: "spare",
    migrations: {
      "001_spare": {
        up: (schema) =>
          schema.schema
            .createTable("spare")
            .addColumn("id", "text", (c) => c.primaryKey())
            .addColumn("n", "integer", (c) => c.notNull())
            .execute(),
      },
    },
  });
  try {
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto("spare")
        .values({ id: "a", n: 1 })
        .onConflict((oc) => oc.column("id").doUpdateSet({ n: 2 }))
        .execute();
      await trx.updateTable("spare").set({ n: 3 }).where("id", "=", "a").executeTakeFirst();
    });
    await db.selectFrom("spare").select("n").where("id", "=", "a").executeTakeFirst();
  } finally {
    await close();
  }
}

/**
 * What the host calls over Comlink before and after the worker knows its module. A worker boots
 * unbound (the host keeps a spare one booted ahead of the next reload); the first `load` binds it
 * to one module for good, composing that module's runtime. Until then only `warm` and `health`
 * answer. After its module's start, the worker gives back the memory the start grew once it is
 * idle (see idle-compaction.ts).
 */
export class WorkerShell implements ModuleWorkerApi {
  readonly #compose: (binding: WorkerBinding) => ModuleWorkerRuntime;
  #bound: { binding: WorkerBinding; runtime: ModuleWorkerRuntime } | null = null;
  /** What this spare has run once already ("storage", "zod"). */
  readonly #exercised = new Set<string>();
  /** Gives the memory a module's start grew back once this worker is idle. */
  readonly #idle: IdleCompaction;

  constructor(compose: (binding: WorkerBinding) => ModuleWorkerRuntime, idle = new IdleCompaction()) {
    this.#compose = compose;
    this.#idle = idle;
  }

  /** The module this worker runs, once bound. */
  get module(): string | null {
    return this.#bound?.binding.module ?? null;
  }

  /**
   * Imports `urls` ahead of the module (a spare warming up); when one is the storage entry, also
   * runs the storage code once on a database in memory, and when one is zod, parses with a small
   * schema. Resolves with how many imports succeeded.
   */
  async warm(urls: string[]): Promise<number> {
    const loaded = await Promise.allSettled(urls.map((url) => import(url) as Promise<Partial<StorageEntry>>));
    for (const result of loaded) {
      if (result.status !== "fulfilled" || this.#bound) continue;
      // Only a head start: a failure here is the module's own to meet (and report) at its start.
      const entry = result.value;
      if (typeof entry.openModuleDatabase === "function" && !this.#exercised.has("storage")) {
        this.#exercised.add("storage");
        await exerciseStorage(entry as StorageEntry).catch(() => {});
      }
      if (isZod(result.value) && !this.#exercised.has("zod")) {
        this.#exercised.add("zod");
        try {
          exerciseZod(result.value);
        } catch {}
      }
    }
    // A spare is not compacted: the reload that takes it would grow its young generation again
    // on its path (A/B: reload_first_ms 3-6 ms slower at p50 with it), for one worker per host.
    return loaded.filter((r) => r.status === "fulfilled").length;
  }

  load(bundleUrl: string, binding: WorkerBinding): Promise<ModuleManifest> {
    if (this.#bound && this.#bound.binding.module !== binding.module) {
      throw new StarStreamerError(
        RuntimeErrorCodes.MODULE_STATE,
        `this worker runs ${this.#bound.binding.module}; it cannot load ${binding.module}`,
      );
    }
    this.#bound ??= { binding, runtime: this.#compose(binding) };
    return this.#bound.runtime.load(bundleUrl);
  }

  async start(config: unknown): Promise<HandlerInfo[]> {
    try {
      return await this.#runtime().start(config);
    } finally {
      this.#idle.arm();
    }
  }

  drain(timeoutMs: number): Promise<number> {
    return this.#bound ? this.#bound.runtime.drain(timeoutMs) : Promise.resolve(0);
  }

  snapshot(): Promise<unknown> {
    return this.#runtime().snapshot();
  }

  restore(state: unknown): Promise<void> {
    return this.#runtime().restore(state);
  }

  async shutdown(): Promise<void> {
    this.#idle.stop();
    await this.#bound?.runtime.shutdown();
  }

  callService(service: string, method: string, args: unknown[]): Promise<unknown> {
    return this.#runtime().callService(service, method, args);
  }

  health(): WorkerHealth {
    return this.#bound ? this.#bound.runtime.health() : { running: 0 };
  }

  #runtime(): ModuleWorkerRuntime {
    if (!this.#bound) {
      throw new StarStreamerError(RuntimeErrorCodes.MODULE_STATE, "no module is loaded in this worker yet");
    }
    return this.#bound.runtime;
  }
}
