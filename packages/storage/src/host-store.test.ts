import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type HostStore, hostMigrations, openHostStore } from "./host-store.ts";
import { runMigrations } from "./migrations.ts";
import { openSqlite } from "./open-database.ts";

let dir: string;
let file: string;
const stores: HostStore[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "ss-storage-"));
  file = join(dir, "starstreamer.db");
});
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

async function open(): Promise<HostStore> {
  const store = await openHostStore(file);
  stores.push(store);
  return store;
}

describe("openHostStore", () => {
  it("creates module_states and reload_history with the (module, at) index", async () => {
    const store = await open();
    const { rows } = await sql<{ type: string; name: string; tbl_name: string }>`
      select type, name, tbl_name from sqlite_master
      where tbl_name in ('module_states', 'reload_history') and name not like 'sqlite_autoindex%'
      order by name`.execute(store.db);
    expect(rows).toEqual([
      { type: "table", name: "module_states", tbl_name: "module_states" },
      { type: "table", name: "reload_history", tbl_name: "reload_history" },
      { type: "index", name: "reload_history_module_at", tbl_name: "reload_history" },
    ]);
    const { rows: columns } = await sql<{ name: string }>`
      select name from pragma_index_info('reload_history_module_at') order by seqno`.execute(store.db);
    expect(columns.map((c) => c.name)).toEqual(["module", "at"]);
  });

  it("reads back WAL and the default busy timeout from the host file", async () => {
    const store = await open();
    const { rows } = await sql<{ timeout: number }>`pragma busy_timeout`.execute(store.db);
    expect(rows).toEqual([{ timeout: 5000 }]);
    const { rows: journal } = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(store.db);
    expect(journal).toEqual([{ journal_mode: "wal" }]);
  });

  it("treats running the host migrations twice as a no-op", async () => {
    const store = await open();
    await store.setModuleEnabled("points", true);
    expect(await runMigrations(store.db, hostMigrations, { owner: "host" })).toEqual([]);
    await store.close();
    const again = await open();
    expect((await again.moduleStates()).get("points")?.enabled).toBe(true);
  });
});

describe("module states", () => {
  it("upserts a module's enabled flag", async () => {
    const store = await open();
    await store.setModuleEnabled("points", true);
    const first = (await store.moduleStates()).get("points");
    expect(first?.enabled).toBe(true);
    await store.setModuleEnabled("points", false);
    await store.setModuleEnabled("greeter", true);
    const states = await store.moduleStates();
    expect(states.size).toBe(2);
    expect(states.get("points")?.enabled).toBe(false);
    expect(states.get("points")?.updatedAt).toBeGreaterThanOrEqual(first?.updatedAt ?? 0);
    expect(states.get("greeter")?.enabled).toBe(true);
  });

  it("keeps a disabled module disabled after close and reopen", async () => {
    const store = await open();
    await store.setModuleEnabled("points", false);
    await store.close();
    const reopened = await open();
    expect((await reopened.moduleStates()).get("points")).toEqual({
      enabled: false,
      updatedAt: expect.any(Number),
    });
  });

  it("forgets a module's state", async () => {
    const store = await open();
    await store.setModuleEnabled("points", false);
    await store.forgetModule("points");
    expect((await store.moduleStates()).has("points")).toBe(false);
  });
});

describe("reload history", () => {
  it("reports zero counts and nulls when nothing was recorded", async () => {
    const store = await open();
    expect(await store.reloadStats()).toEqual({
      successful: 0,
      failed: 0,
      lastDurationMs: null,
      lastAt: null,
      lastError: null,
    });
  });

  it("counts successes and failures and reports the newest attempt's duration and error", async () => {
    const store = await open();
    await store.recordReload({ module: "points", ok: true, durationMs: 12.5, version: "1.0.0", at: 1000 });
    await store.recordReload({ module: "points", ok: false, durationMs: 40, error: "SyntaxError", at: 2000 });
    await store.recordReload({ module: "greeter", ok: true, durationMs: 7, at: 1500 });

    expect(await store.reloadStats("points")).toEqual({
      successful: 1,
      failed: 1,
      lastDurationMs: 40,
      lastAt: 2000,
      lastError: "SyntaxError",
    });
    expect(await store.reloadStats()).toEqual({
      successful: 2,
      failed: 1,
      lastDurationMs: 40,
      lastAt: 2000,
      lastError: "SyntaxError",
    });
    expect(await store.reloadStats("greeter")).toMatchObject({ successful: 1, failed: 0, lastError: null });
    expect(await store.reloadStats("nobody")).toMatchObject({ successful: 0, failed: 0, lastAt: null });
  });

  it("lists attempts newest first, up to the limit, for one module or all", async () => {
    const store = await open();
    for (const [i, module] of ["a", "b", "a", "a", "b"].entries()) {
      await store.recordReload({ module, ok: i % 2 === 0, durationMs: i, at: 1000 + i });
    }
    // Same millisecond: the later insert counts as newer.
    await store.recordReload({ module: "a", ok: true, durationMs: 99, at: 1004 });

    const all = await store.reloadHistory({ limit: 3 });
    expect(all.map((e) => [e.module, e.at, e.durationMs])).toEqual([
      ["a", 1004, 99],
      ["b", 1004, 4],
      ["a", 1003, 3],
    ]);
    const a = await store.reloadHistory({ module: "a", limit: 10 });
    expect(a.map((e) => e.at)).toEqual([1004, 1003, 1002, 1000]);
    expect(a[1]).toEqual({
      id: expect.any(Number),
      module: "a",
      ok: false,
      durationMs: 3,
      error: null,
      version: null,
      at: 1003,
    });
    expect(await store.reloadHistory({ limit: 0 })).toEqual([]);
  });
});

describe("concurrent writers", () => {
  // Plain JS, so it runs in a worker without a TypeScript loader; better-sqlite3 comes by absolute URL.
  const betterSqliteUrl = pathToFileURL(createRequire(import.meta.url).resolve("better-sqlite3")).href;
  const workerScript = `
    import { parentPort, workerData } from "node:worker_threads";
    import Database from ${JSON.stringify(betterSqliteUrl)};
    const { file, mode, rows, holdMs } = workerData;
    const db = new Database(file);
    db.pragma("busy_timeout = 5000");
    db.pragma("journal_mode = WAL");
    const insert = db.prepare(
      "insert into reload_history (module, ok, duration_ms, at) values (?, 1, 1, ?)",
    );
    if (mode === "hold") {
      db.exec("begin immediate");
      insert.run("held", Date.now());
      parentPort.postMessage("locked");
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, holdMs);
      db.exec("commit");
    } else {
      for (let i = 0; i < rows; i++) insert.run(mode, Date.now());
    }
    db.close();
    parentPort.postMessage("done");
  `;

  let workerCount = 0;
  function startWorker(data: Record<string, unknown>): { worker: Worker; done: Promise<void> } {
    const script = join(dir, `writer-${workerCount++}.mjs`);
    writeFileSync(script, workerScript);
    const worker = new Worker(pathToFileURL(script), { workerData: { file, ...data } });
    const done = new Promise<void>((resolve, reject) => {
      worker.on("message", (m) => m === "done" && resolve());
      worker.on("error", reject);
      worker.on("exit", (code) => reject(new Error(`writer exited with ${code} before it was done`)));
    });
    return { worker, done };
  }

  it("waits for another connection's write lock instead of failing with SQLITE_BUSY", async () => {
    const store = await open();
    const { worker, done } = startWorker({ mode: "hold", holdMs: 300 });
    await new Promise<void>((resolve) => worker.on("message", (m) => m === "locked" && resolve()));

    // Without a busy timeout the same write fails, which shows the lock really is held...
    const impatient = openSqlite(file, { busyTimeoutMs: 0 });
    expect(() =>
      impatient
        .prepare("insert into reload_history (module, ok, duration_ms, at) values ('x', 1, 1, 1)")
        .run(),
    ).toThrow(expect.objectContaining({ code: "SQLITE_BUSY" }));
    impatient.close();

    // ...while the store's connection waits for the commit and then writes.
    await store.recordReload({ module: "main", ok: true, durationMs: 1 });
    await done;
    expect(await store.reloadStats("held")).toMatchObject({ successful: 1 });
    expect(await store.reloadStats("main")).toMatchObject({ successful: 1 });
  });

  it("keeps every row when two workers and the host write the same file at once", async () => {
    const store = await open();
    const writers = [startWorker({ mode: "one", rows: 300 }), startWorker({ mode: "two", rows: 300 })];
    for (let i = 0; i < 100; i++) await store.recordReload({ module: "main", ok: true, durationMs: i });
    await Promise.all(writers.map((w) => w.done));
    expect((await store.reloadStats("one")).successful).toBe(300);
    expect((await store.reloadStats("two")).successful).toBe(300);
    expect((await store.reloadStats("main")).successful).toBe(100);
  });
});
