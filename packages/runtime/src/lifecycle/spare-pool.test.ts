import { afterEach, describe, expect, it } from "vitest";
import type { ModuleWorker } from "../host/module-worker.ts";
import type { ModuleRecord } from "../registry/module-record.ts";
import type { ModuleWorkerApi } from "../worker/protocol.ts";
import { SparePool } from "./spare-pool.ts";
import type { Spawner } from "./spawn.ts";

/** A stand-in for a spare's handle that records what it was asked to import. */
class RecordingSpare {
  dead = false;
  readonly warmed: string[][] = [];
  keepsProcessAlive(): void {}
  onDeath(): void {}
  async call<T>(fn: (api: ModuleWorkerApi) => Promise<T>): Promise<T> {
    const api = {
      warm: async (urls: string[]) => {
        this.warmed.push(urls);
        return urls.length;
      },
    } as unknown as ModuleWorkerApi;
    return fn(api);
  }
  async terminate(): Promise<void> {
    this.dead = true;
  }
}

let pool: SparePool | undefined;
afterEach(() => pool?.close());

function setUp(imports: () => string[]) {
  const spawned: RecordingSpare[] = [];
  const spawner: Spawner = {
    spawn: () => {
      throw new Error("not used");
    },
    spare: () => {
      const spare = new RecordingSpare();
      spawned.push(spare);
      return spare as unknown as ModuleWorker;
    },
    bind: () => true,
  };
  pool = new SparePool({ enabled: true, spawner, warmUrls: imports });
  return { pool, spawned };
}

describe("SparePool warming", () => {
  it("warms a spare started before the modules loaded once they have loaded, each import once", async () => {
    let loaded: string[] = [];
    const { pool, spawned } = setUp(() => loaded);
    // At host start the first module's load schedules a spare: nothing is loaded yet.
    pool.refill();
    expect(spawned).toHaveLength(1);
    expect(spawned[0]?.warmed).toEqual([]);
    // The modules have loaded (loadAll ends with a refill): the same spare imports what they use.
    loaded = ["file:///vendor/zod.mjs", "file:///runtime/database.mjs"];
    pool.refill();
    expect(spawned).toHaveLength(1);
    expect(spawned[0]?.warmed).toEqual([["file:///vendor/zod.mjs", "file:///runtime/database.mjs"]]);
    // A module loaded later adds one package: only that one is asked for.
    loaded = [...loaded, "file:///vendor/kysely.mjs"];
    pool.refill();
    pool.refill();
    expect(spawned[0]?.warmed).toEqual([
      ["file:///vendor/zod.mjs", "file:///runtime/database.mjs"],
      ["file:///vendor/kysely.mjs"],
    ]);
  });

  it("warms the next spare from scratch after one is taken", async () => {
    const { pool, spawned } = setUp(() => ["file:///vendor/zod.mjs"]);
    pool.refill();
    expect(pool.take({ name: "greeter" } as ModuleRecord)).toBe(spawned[0]);
    expect(pool.ready).toBe(false);
    pool.refill();
    expect(spawned).toHaveLength(2);
    expect(spawned[1]?.warmed).toEqual([["file:///vendor/zod.mjs"]]);
  });
});
