import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { afterEach, describe, expect, it } from "vitest";
import { importConfigModule } from "../config/bundle-config.ts";
import { BUNDLED_SDK_GLOBAL } from "./bundled-sdk.ts";
import { packageMetaPlugin } from "./package-meta.ts";

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
  delete (globalThis as Record<symbol, unknown>)[Symbol.for(BUNDLED_SDK_GLOBAL)];
});

function tempRoot(): string {
  const root = mkdtempSync(join(tmpdir(), "starstreamer-main-bundle-"));
  roots.push(root);
  return root;
}

function write(root: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

/** A package under node_modules whose file reads import.meta (and mentions it in text). */
function metaPackage(name: string): Record<string, string> {
  return {
    [`node_modules/${name}/package.json`]: JSON.stringify({
      name,
      type: "module",
      exports: { ".": "./dist/sub/where.js", "./package.json": "./package.json" },
    }),
    [`node_modules/${name}/dist/sub/where.js`]: [
      "export const url = import.meta.url;",
      "export const dir = import.meta.dirname;",
      "export const file = import.meta.filename;",
      "export const sibling = new URL('./asset.txt', import.meta.url).href;",
      "// import.meta.url in a comment",
      'export const text = "import.meta.url";',
      "export const generated = `createRequire(import.meta.url)`;",
    ].join("\n"),
  };
}

/** The app the bundles are built from: one entry re-exporting package `name`. */
function appImporting(name: string): Record<string, string> {
  return {
    "app/package.json": JSON.stringify({ name: "app", type: "module" }),
    "app/entry.js": `export * from "${name}";`,
  };
}

/** StarStreamer's own packages, as the main bundle's build tells them apart. */
const ownPackage = (name: string) => name.startsWith("@starstreamer/");

async function bundle(root: string, own: (name: string) => boolean) {
  return build({
    entryPoints: [join(root, "app", "entry.js")],
    outdir: join(root, "app", "out"),
    outExtension: { ".js": ".mjs" },
    bundle: true,
    format: "esm",
    platform: "node",
    absWorkingDir: join(root, "app"),
    logLevel: "silent",
    plugins: [packageMetaPlugin(own)],
  });
}

describe("the main bundle", () => {
  it("keeps import.meta naming the file it was written in, wherever the packages are installed", async () => {
    const built = tempRoot();
    write(built, {
      ...metaPackage("@starstreamer/fixture"),
      ...appImporting("@starstreamer/fixture"),
    });
    await bundle(built, ownPackage);
    // Installed elsewhere: nothing in the bundle may point at the folder it was built in.
    const installed = tempRoot();
    cpSync(built, installed, { recursive: true });
    rmSync(built, { recursive: true, force: true });

    const where = (await import(pathToFileURL(join(installed, "app", "out", "entry.mjs")).href)) as Record<
      string,
      string
    >;
    const file = join(installed, "node_modules", "@starstreamer", "fixture", "dist", "sub", "where.js");
    expect(where.url).toBe(pathToFileURL(file).href);
    expect(where.dir).toBe(dirname(file));
    expect(where.file).toBe(file);
    expect(where.sibling).toBe(pathToFileURL(join(dirname(file), "asset.txt")).href);
    // Text that mentions import.meta is left as it was.
    expect(where.text).toBe("import.meta.url");
    expect(where.generated).toBe("createRequire(import.meta.url)");
  });

  it("refuses to bundle another package's file that reads import.meta", async () => {
    const root = tempRoot();
    write(root, {
      ...metaPackage("third-party"),
      ...appImporting("third-party"),
    });
    await expect(bundle(root, ownPackage)).rejects.toThrow(
      /third-party.*uses import\.meta, which would name the bundle: keep third-party external/s,
    );
  });

  it("bundles another package's file that only mentions import.meta, as it is", async () => {
    const root = tempRoot();
    write(root, {
      "node_modules/mentions/package.json": JSON.stringify({
        name: "mentions",
        type: "module",
        main: "index.js",
      }),
      "node_modules/mentions/index.js": [
        "// Reads import.meta.url? No: only says so.",
        'export const said = "import.meta.url";',
      ].join("\n"),
      ...appImporting("mentions"),
    });
    await bundle(root, () => false);
    const loaded = (await import(pathToFileURL(join(root, "app", "out", "entry.mjs")).href)) as {
      said: string;
    };
    expect(loaded.said).toBe("import.meta.url");
  });

  it("points the config's `starstreamer` import at the bundle's own SDK", async () => {
    const root = tempRoot();
    write(root, {
      "sdk.mjs": "export const defineConfig = (config) => ({ ...config, sdk: 'bundled' });",
      "starstreamer.config.ts": [
        'import { defineConfig } from "starstreamer";',
        "export default defineConfig({ commandPrefix: '?' });",
      ].join("\n"),
    });
    (globalThis as Record<symbol, unknown>)[Symbol.for(BUNDLED_SDK_GLOBAL)] = pathToFileURL(
      join(root, "sdk.mjs"),
    ).href;
    const loaded = await importConfigModule(join(root, "starstreamer.config.ts"));
    expect(loaded.default).toEqual({ commandPrefix: "?", sdk: "bundled" });
  });
});
