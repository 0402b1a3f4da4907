import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import {
  IN_MEMORY_DATA_DIR,
  type ModuleDatabase,
  type OpenModuleDatabaseOptions,
  openModuleDatabase,
} from "@starstreamer/storage";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { IdleCompaction } from "./idle-compaction.ts";
import type { ModuleWorkerRuntime } from "./worker-api.ts";
import { WorkerShell } from "./worker-shell.ts";

/** What the storage stand-in saw: the options of each open, and the row the warm-up left behind. */
interface Seen {
  options: OpenModuleDatabaseOptions[];
  rows: unknown[];
}
const HOOK = "__ssWorkerShellTest";

let dir: string;
let seen: Seen;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "ss-shell-"));
  seen = { options: [], rows: [] };
  // The stand-in entry opens the real storage; before closing, it reads what the warm-up wrote.
  (globalThis as Record<string, unknown>)[HOOK] = async (options: OpenModuleDatabaseOptions) => {
    seen.options.push(options);
    const opened: ModuleDatabase = await openModuleDatabase(options);
    return {
      ...opened,
      close: async () => {
        seen.rows.push(opened.sqlite.prepare("select id, n from spare").all());
        await opened.close();
      },
    };
  };
});
afterEach(() => {
  delete (globalThis as Record<string, unknown>)[HOOK];
  rmSync(dir, { recursive: true, force: true });
});

/** A module that exports `openModuleDatabase` the way the storage entry does. */
function storageEntry(): string {
  const file = join(dir, `entry-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(
    file,
    `export const IN_MEMORY_DATA_DIR = ${JSON.stringify(IN_MEMORY_DATA_DIR)};\nexport const openModuleDatabase = (o) => globalThis.${HOOK}(o);\n`,
  );
  return pathToFileURL(file).href;
}

/** A module that exports `z` the way zod's vendor bundle does, counting the schemas parsed. */
function zodEntry(parsed: unknown[]): string {
  (globalThis as Record<string, unknown>)[`${HOOK}Zod`] = {
    ...z,
    object: (shape: Parameters<typeof z.object>[0]) => {
      const schema = z.object(shape);
      const safeParse = schema.safeParse.bind(schema);
      return Object.assign(schema, {
        safeParse: (value: unknown) => {
          const result = safeParse(value);
          parsed.push(result.success);
          return result;
        },
      });
    },
  };
  const file = join(dir, `zod-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(file, `export const z = globalThis.${HOOK}Zod;\n`);
  return pathToFileURL(file).href;
}

/** An idle compaction the test drives: `check()` finds the thread idle; the timer never fires. */
function drivenCompaction(): { idle: IdleCompaction; compacted: () => number } {
  let compacted = 0;
  const idle = new IdleCompaction({
    utilization: () => 0,
    compact: async () => compacted++,
    intervalMs: 3_600_000,
  });
  return { idle, compacted: () => compacted };
}

const unboundShell = (idle = drivenCompaction().idle) =>
  new WorkerShell(() => {
    throw new Error("not bound in these tests");
  }, idle);

describe("WorkerShell.warm (a spare getting ready)", () => {
  it("runs the storage code once on a database in memory when it imports the storage entry", async () => {
    const shell = unboundShell();
    const entry = storageEntry();
    expect(await shell.warm([entry, "file:///no/such/package.mjs"])).toBe(1);
    expect(seen.options).toHaveLength(1);
    expect(seen.options[0]).toMatchObject({ dataDir: IN_MEMORY_DATA_DIR, module: "spare" });
    // The migration, the upsert and the update in one transaction all ran.
    expect(seen.rows).toEqual([[{ id: "a", n: 3 }]]);
    // Nothing written next to the entry (the database lived in memory only).
    expect(readdirSync(dir).filter((f) => !f.startsWith("entry-"))).toEqual([]);
    // A second warm (a module loaded later) imports again but does not run the storage code twice.
    expect(await shell.warm([entry, storageEntry()])).toBe(2);
    expect(seen.options).toHaveLength(1);
  });

  it("parses with zod once, valid and invalid input, when it imports zod", async () => {
    const shell = unboundShell();
    const parsed: unknown[] = [];
    const entry = zodEntry(parsed);
    expect(await shell.warm([entry])).toBe(1);
    expect(parsed).toEqual([true, false]);
    expect(await shell.warm([entry])).toBe(1);
    expect(parsed).toHaveLength(2);
  });

  it("still counts the import when the warm-up of storage fails", async () => {
    (globalThis as Record<string, unknown>)[HOOK] = async () => {
      throw new Error("disk on fire");
    };
    expect(await unboundShell().warm([storageEntry()])).toBe(1);
  });

  it("does not run the storage code in a worker already bound to a module", async () => {
    const shell = new WorkerShell(
      () => ({ load: async () => ({ name: "greeter" }) }) as unknown as ModuleWorkerRuntime,
      drivenCompaction().idle,
    );
    await shell.load("file:///module.mjs", { module: "greeter", deadlineMs: 1000 });
    expect(await shell.warm([storageEntry()])).toBe(1);
    expect(seen.options).toEqual([]);
  });
});

describe("WorkerShell idle compaction", () => {
  /** A shell bound to a module whose start resolves or throws as told. */
  function boundShell(idle: IdleCompaction, start: () => Promise<unknown>) {
    const shell = new WorkerShell(
      () =>
        ({
          load: async () => ({ name: "economy" }),
          start,
          shutdown: async () => {},
        }) as unknown as ModuleWorkerRuntime,
      idle,
    );
    return shell;
  }

  it("compacts once idle after a module's start, and stops checking at shutdown", async () => {
    const { idle, compacted } = drivenCompaction();
    const shell = boundShell(idle, async () => []);
    await shell.load("file:///module.mjs", { module: "economy", deadlineMs: 1000 });
    expect(idle.checking).toBe(false);
    await shell.start({});
    expect(idle.checking).toBe(true);
    await idle.check();
    expect(compacted()).toBe(1);
    await shell.shutdown();
    expect(idle.checking).toBe(false);
  });

  it("also after a start that failed (the worker holds what it loaded until it is replaced)", async () => {
    const { idle, compacted } = drivenCompaction();
    const shell = boundShell(idle, async () => {
      throw new Error("initialize failed");
    });
    await shell.load("file:///module.mjs", { module: "economy", deadlineMs: 1000 });
    await expect(shell.start({})).rejects.toThrow("initialize failed");
    await idle.check();
    expect(compacted()).toBe(1);
    idle.stop();
  });

  it("leaves a spare's young generation to the reload that takes it", async () => {
    const { idle, compacted } = drivenCompaction();
    const parsed: unknown[] = [];
    await unboundShell(idle).warm([zodEntry(parsed)]);
    expect(parsed).toEqual([true, false]);
    expect(idle.checking).toBe(false);
    await idle.check();
    expect(compacted()).toBe(0);
  });
});
