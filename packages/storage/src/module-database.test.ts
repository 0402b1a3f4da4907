import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { type Migration, sql } from "kysely";
import { StarStreamerError } from "starstreamer";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { IN_MEMORY_DATA_DIR, moduleDatabasePath, openModuleDatabase } from "./module-database.ts";

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), "ss-storage-"));
});
afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

const migrations: Record<string, Migration> = {
  "001_create_points": {
    up: (db) =>
      db.schema
        .createTable("points")
        .addColumn("user_id", "text", (c) => c.primaryKey())
        .addColumn("points", "integer", (c) => c.notNull())
        .execute(),
  },
};

function runWorker(script: string, workerData: unknown): Promise<unknown> {
  const file = join(dataDir, `worker-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(file, script);
  return new Promise((resolve, reject) => {
    const worker = new Worker(pathToFileURL(file), { workerData });
    let answer: unknown;
    worker.on("message", (m) => {
      answer = m;
    });
    worker.on("error", reject);
    worker.on("exit", (code) =>
      code === 0 ? resolve(answer) : reject(new Error(`worker exited with ${code}`)),
    );
  });
}

describe("moduleDatabasePath", () => {
  it.each(["../x", "..", "a/b", "a\\b", "", "Points", "1points", "_x", "a".repeat(65), "a.db"])(
    "rejects %j with SS_STORAGE_MODULE_NAME_INVALID",
    (name) => {
      expect(() => moduleDatabasePath(dataDir, name)).toThrow(
        expect.objectContaining({ code: "SS_STORAGE_MODULE_NAME_INVALID" }),
      );
    },
  );

  it("puts a valid name under <dataDir>/modules", () => {
    expect(moduleDatabasePath(dataDir, "points_v2-beta")).toBe(join(dataDir, "modules", "points_v2-beta.db"));
  });
});

describe("openModuleDatabase", () => {
  it("keeps a database in memory for IN_MEMORY_DATA_DIR: migrated, usable, nothing written to disk", async () => {
    const cwdBefore = readdirSync(process.cwd());
    const { db, file, close } = await openModuleDatabase({
      dataDir: IN_MEMORY_DATA_DIR,
      module: "points",
      migrations,
    });
    try {
      expect(file).toBe(":memory:");
      await db.insertInto("points").values({ user_id: "ada", points: 5 }).execute();
      expect(await db.selectFrom("points").select("points").executeTakeFirst()).toEqual({ points: 5 });
    } finally {
      await close();
    }
    expect(readdirSync(process.cwd())).toEqual(cwdBefore);
    // The name is still checked: an in-memory database does not accept what a file would refuse.
    expect(() => moduleDatabasePath(IN_MEMORY_DATA_DIR, "../x")).toThrow(
      expect.objectContaining({ code: "SS_STORAGE_MODULE_NAME_INVALID" }),
    );
  });

  it("rejects ../x before touching the disk", async () => {
    const error = await openModuleDatabase({ dataDir, module: "../x", migrations }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StarStreamerError);
    expect(error).toMatchObject({ code: "SS_STORAGE_MODULE_NAME_INVALID", data: { module: "../x" } });
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it("opens <dataDir>/modules/<module>.db with WAL and busy timeout and applies the module's migrations", async () => {
    const store = await openModuleDatabase({ dataDir, module: "points", migrations });
    try {
      expect(store.file).toBe(join(dataDir, "modules", "points.db"));
      expect(existsSync(store.file)).toBe(true);
      expect(store.sqlite.pragma("journal_mode", { simple: true })).toBe("wal");
      expect(store.sqlite.pragma("busy_timeout", { simple: true })).toBe(5000);
      await store.db.insertInto("points").values({ user_id: "u1", points: 5 }).execute();
      expect(await store.db.selectFrom("points").selectAll().execute()).toEqual([
        { user_id: "u1", points: 5 },
      ]);
    } finally {
      await store.close();
    }
    await store.close(); // a second close is harmless
    expect(store.sqlite.open).toBe(false);
  });

  it("throws SS_STORAGE_MIGRATION_FAILED naming module and migration, keeps the earlier ones and closes the file", async () => {
    const broken: Migration = {
      up: (db) => sql`alter table no_such_table add column x integer`.execute(db).then(() => undefined),
    };
    const error = await openModuleDatabase({
      dataDir,
      module: "points",
      migrations: { ...migrations, "002_broken": broken },
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: "SS_STORAGE_MIGRATION_FAILED",
      data: { owner: "points", migration: "002_broken", applied: ["001_create_points"] },
    });
    expect((error as Error).message).toMatch(
      /Migration "002_broken" of module "points" failed: .*no such table/,
    );

    // 001 stays applied: reopening with the list that works applies nothing new and the table is there.
    const store = await openModuleDatabase({ dataDir, module: "points", migrations });
    try {
      await store.db.insertInto("points").values({ user_id: "u1", points: 1 }).execute();
    } finally {
      await store.close();
    }
  });

  it("lets a plain worker thread write a module file that the main thread then reads", async () => {
    const prepared = await openModuleDatabase({ dataDir, module: "points", migrations });
    await prepared.close();

    const betterSqliteUrl = pathToFileURL(createRequire(import.meta.url).resolve("better-sqlite3")).href;
    const answer = await runWorker(
      `
      import { parentPort, workerData } from "node:worker_threads";
      import Database from ${JSON.stringify(betterSqliteUrl)};
      const db = new Database(workerData.file);
      db.pragma("busy_timeout = 5000");
      const mode = db.pragma("journal_mode = WAL", { simple: true });
      db.prepare("insert into points (user_id, points) values (?, ?)").run("from-worker", 42);
      db.close();
      parentPort.postMessage({ mode });
      `,
      { file: prepared.file },
    );
    expect(answer).toEqual({ mode: "wal" });

    const store = await openModuleDatabase({ dataDir, module: "points", migrations });
    try {
      expect(await store.db.selectFrom("points").selectAll().execute()).toEqual([
        { user_id: "from-worker", points: 42 },
      ]);
    } finally {
      await store.close();
    }
  });

  it("works from inside worker threads, two modules writing their own files at once", async () => {
    // Runs the real openModuleDatabase in each worker, loaded as TypeScript through tsx.
    // The ESM entry of tsx/esm/api (createRequire would resolve the CommonJS one).
    const tsxApi = new URL(
      "dist/esm/api/index.mjs",
      pathToFileURL(createRequire(import.meta.url).resolve("tsx/package.json")),
    ).href;
    const moduleDatabaseUrl = new URL("./module-database.ts", import.meta.url).href;
    const script = `
      import { parentPort, workerData, threadId } from "node:worker_threads";
      import { tsImport } from ${JSON.stringify(tsxApi)};
      const { openModuleDatabase } = await tsImport(${JSON.stringify(moduleDatabaseUrl)}, import.meta.url);
      const migrations = {
        "001_create_points": {
          up: (db) => db.schema.createTable("points")
            .addColumn("user_id", "text", (c) => c.primaryKey())
            .addColumn("points", "integer", (c) => c.notNull())
            .execute(),
        },
      };
      const store = await openModuleDatabase({ dataDir: workerData.dataDir, module: workerData.module, migrations });
      for (let i = 0; i < 200; i++) {
        await store.db.insertInto("points").values({ user_id: "u" + i, points: threadId }).execute();
      }
      const mode = store.sqlite.pragma("journal_mode", { simple: true });
      await store.close();
      parentPort.postMessage({ threadId, mode });
    `;
    const answers = (await Promise.all(
      ["alpha", "beta"].map((module) => runWorker(script, { dataDir, module })),
    )) as { threadId: number; mode: string }[];

    for (const [i, module] of ["alpha", "beta"].entries()) {
      const answer = answers[i]!;
      expect(answer.mode).toBe("wal");
      expect(answer.threadId).not.toBe(0);
      const store = await openModuleDatabase({ dataDir, module, migrations });
      try {
        const rows = await store.db.selectFrom("points").select("points").distinct().execute();
        expect(rows).toEqual([{ points: answer.threadId }]);
        const { count } = await store.db
          .selectFrom("points")
          .select((eb) => eb.fn.countAll<number>().as("count"))
          .executeTakeFirstOrThrow();
        expect(count).toBe(200);
      } finally {
        await store.close();
      }
    }
  });
});
