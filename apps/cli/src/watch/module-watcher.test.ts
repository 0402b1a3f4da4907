import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitUntil } from "@starstreamer/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type ModuleChange, type ModuleWatcher, watchModules } from "./module-watcher.ts";

let root: string;
let watcher: ModuleWatcher | undefined;
/** Every applyChange call, in order: the module and the files it was given. */
let calls: Array<{ module: string; files: string[] }>;
let reported: ModuleChange[];
let seen: string[];
/** While set, applyChange waits for it (a reload in progress). */
let gate: Promise<void> | null;
let fail: Set<string>;

const reloaded = (module: string, files: string[]): ModuleChange => ({
  module,
  action: "reloaded",
  version: "1.0.0",
  durationMs: 1,
  files,
});

async function start(debounceMs = 300): Promise<ModuleWatcher> {
  watcher = watchModules({
    modulesDir: root,
    dirs: [root],
    debounceMs,
    applyChange: async (module, files) => {
      calls.push({ module, files });
      const failing = fail.has(module);
      await gate;
      return failing
        ? { module, action: "failed", error: "broken", durationMs: 1, kept: true, files }
        : reloaded(module, files);
    },
    onChange: (change) => reported.push(change),
    onSeen: (_module, path) => seen.push(path),
  });
  await watcher.ready;
  return watcher;
}

const count = (module: string) => calls.filter((c) => c.module === module).length;
const write = (module: string, file: string, text = `export const at = ${Date.now()};\n`) =>
  writeFileSync(join(root, module, file), text);

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "ss-watch-"));
  for (const m of ["alpha", "beta", "gamma"]) {
    mkdirSync(join(root, m, "actions"), { recursive: true });
    writeFileSync(join(root, m, "module.ts"), "export {};\n");
    for (let i = 0; i < 7; i++) writeFileSync(join(root, m, "actions", `a${i}.ts`), "export {};\n");
  }
  calls = [];
  reported = [];
  seen = [];
  gate = null;
  fail = new Set();
});

afterEach(async () => {
  await watcher?.close();
  watcher = undefined;
  rmSync(root, { recursive: true, force: true });
});

describe("watchModules", () => {
  it("reloads a module on its first change without waiting for the debounce time", async () => {
    // A debounce far longer than the test's timeout: only the immediate first reaction can pass.
    const w = await start(60_000);
    write("alpha", "module.ts");
    await waitUntil(() => count("alpha") === 1, "the reload", 5000);
    await w.idle();
    expect(calls).toEqual([{ module: "alpha", files: [join(root, "alpha", "module.ts")] }]);
    expect(reported).toEqual([reloaded("alpha", [join(root, "alpha", "module.ts")])]);
  });

  it("reloads each module once for a checkout that touches 21 files in three modules", async () => {
    const w = await start();
    for (const m of ["alpha", "beta", "gamma"]) {
      write(m, "module.ts");
      for (let i = 0; i < 6; i++) write(m, join("actions", `a${i}.ts`));
    }
    await waitUntil(() => count("alpha") + count("beta") + count("gamma") >= 3, "three reloads", 5000);
    await w.idle();
    // A sentinel after the burst settles: any late duplicate of the burst would come before it.
    write("alpha", "actions/a6.ts");
    await waitUntil(() => count("alpha") === 2, "the sentinel's reload", 5000);
    await w.idle();
    expect([count("alpha"), count("beta"), count("gamma")]).toEqual([2, 1, 1]);
    expect(calls.find((c) => c.module === "beta")?.files).toHaveLength(7);
  });

  it("sees a save written to a temp file and renamed over the original", async () => {
    const w = await start(60_000);
    const target = join(root, "beta", "module.ts");
    writeFileSync(`${target}.tmp`, "export const saved = true;\n");
    renameSync(`${target}.tmp`, target);
    await waitUntil(() => count("beta") === 1, "the reload", 5000);
    await w.idle();
    expect(calls[0]?.files).toEqual([target]);
  });

  it("changes during a reload reload once more when they are quiet; a superseded failure is not reported", async () => {
    const w = await start(50);
    let open!: () => void;
    gate = new Promise((resolve) => {
      open = resolve;
    });
    fail.add("gamma");
    write("gamma", "module.ts");
    await waitUntil(() => count("gamma") === 1, "the first reload", 5000);
    // The rest of the burst arrives while the (failing) first reload runs.
    write("gamma", "actions/a0.ts");
    write("gamma", "actions/a1.ts");
    await waitUntil(() => seen.some((p) => p.endsWith("a1.ts")), "the rest of the burst seen", 5000);
    fail.delete("gamma");
    gate = null;
    open();
    await waitUntil(() => count("gamma") === 2, "one more reload", 5000);
    await w.idle();
    expect(count("gamma")).toBe(2);
    expect(calls[1]?.files.sort()).toEqual([
      join(root, "gamma", "actions", "a0.ts"),
      join(root, "gamma", "actions", "a1.ts"),
    ]);
    expect(reported.map((c) => c.action)).toEqual(["reloaded"]);
  });

  it("reloads again for a save chokidar's 50 ms throttle hid (a fix written right after the first reload began)", async () => {
    const file = join(root, "beta", "module.ts");
    /** What the file held each time the module reloaded. */
    const read: string[] = [];
    watcher = watchModules({
      modulesDir: root,
      dirs: [root],
      debounceMs: 50,
      applyChange: async (module, files) => {
        calls.push({ module, files });
        read.push(readFileSync(file, "utf8"));
        // The second save lands while chokidar still throttles this path (its first change was
        // emitted about SETTLE_MS ago): it emits nothing for it.
        if (read.length === 1) writeFileSync(file, "export const v = 2;\n");
        return reloaded(module, files);
      },
      onChange: (change) => reported.push(change),
    });
    await watcher.ready;
    writeFileSync(file, "export const v = 1;\n");
    await waitUntil(
      () => read.includes("export const v = 2;\n"),
      "a reload that reads the second save",
      5000,
    );
    // The sentinel: a third save, once the watcher is idle. Reloads of one module run one at a
    // time, so any extra reload of the first two saves would have read before it.
    await watcher.idle();
    writeFileSync(file, "export const v = 3;\n");
    await waitUntil(() => read.includes("export const v = 3;\n"), "the sentinel save's reload", 5000);
    expect(read.slice(0, read.indexOf("export const v = 3;\n"))).toEqual([
      "export const v = 1;\n",
      "export const v = 2;\n",
    ]);
  });
});
