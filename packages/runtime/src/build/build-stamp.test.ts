import { mkdtempSync, rmSync, statSync, unlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { stampBuild, stampIsFresh, writeStamp } from "./build-stamp.ts";
import { buildRuntimeBundle } from "./runtime-bundle.ts";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "ss-stamp-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function buildAndStamp(key: string): Promise<string> {
  const result = await build({
    entryPoints: [join(dir, "entry.ts")],
    outdir: join(dir, "out"),
    bundle: true,
    format: "esm",
    metafile: true,
    absWorkingDir: dir,
    logLevel: "silent",
  });
  const file = join(dir, "stamp.json");
  await writeStamp(file, await stampBuild(key, result.metafile, dir));
  return file;
}

describe("build stamps", () => {
  it("say a build is fresh until an input, an output or the key changes", async () => {
    writeFileSync(join(dir, "entry.ts"), 'import { x } from "./dep.ts";\nconsole.log(x);\n');
    writeFileSync(join(dir, "dep.ts"), "export const x = 1;\n");
    const file = await buildAndStamp("k1");
    expect(await stampIsFresh(file, "k1")).toBe(true);
    expect(await stampIsFresh(file, "k2")).toBe(false);

    // An input edited (new size), then one touched (same size, new time).
    writeFileSync(join(dir, "dep.ts"), "export const x = 22;\n");
    expect(await stampIsFresh(file, "k1")).toBe(false);
    await buildAndStamp("k1");
    const later = new Date(statSync(join(dir, "dep.ts")).mtimeMs + 5000);
    utimesSync(join(dir, "dep.ts"), later, later);
    expect(await stampIsFresh(file, "k1")).toBe(false);

    // An output gone.
    await buildAndStamp("k1");
    expect(await stampIsFresh(file, "k1")).toBe(true);
    unlinkSync(join(dir, "out", "entry.js"));
    expect(await stampIsFresh(file, "k1")).toBe(false);

    // No stamp, or a stamp that is not JSON.
    expect(await stampIsFresh(join(dir, "missing.json"), "k1")).toBe(false);
    writeFileSync(file, "{not json");
    expect(await stampIsFresh(file, "k1")).toBe(false);
  });

  it("let a host start reuse the worker runtime bundle, and rebuild it when a file of it is gone", async () => {
    const out = join(dir, "runtime");
    const first = await buildRuntimeBundle(out);
    const worker = first.workerUrl.pathname;
    const builtAt = statSync(worker).mtimeMs;
    const again = await buildRuntimeBundle(out);
    expect(again).toEqual(first);
    expect(statSync(worker).mtimeMs).toBe(builtAt);
    unlinkSync(join(out, "database.mjs"));
    await buildRuntimeBundle(out);
    expect(statSync(join(out, "database.mjs")).isFile()).toBe(true);
  });
});
