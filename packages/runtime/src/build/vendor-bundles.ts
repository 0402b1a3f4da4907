import { existsSync, readFileSync } from "node:fs";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { build, type Plugin } from "esbuild";

/** `zod` → `zod`, `@scope/pkg/sub` → `@scope/pkg`. */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

function readJson(file: string): Record<string, unknown> | null {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** The folder and package.json of the package `name` that `entry` belongs to. */
function packageOf(name: string, entry: string): { dir: string; json: Record<string, unknown> } | null {
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    const json = readJson(join(dir, "package.json"));
    if (json?.name === name) return { dir, json };
  }
  return null;
}

/** ESM by its extension or by the nearest package.json's `type`. */
function isEsm(entry: string): boolean {
  if (entry.endsWith(".mjs")) return true;
  if (!entry.endsWith(".js")) return false;
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    const json = readJson(join(dir, "package.json"));
    if (json) return json.type === "module";
  }
  return false;
}

/**
 * Part of a vendor bundle's file name, changed whenever how the bundles are built changes, so a
 * data folder's bundles from before are rebuilt rather than reused.
 */
const FORMAT = "min2";

/**
 * Files of a package kept out of its vendor bundle and loaded on first use, from the package's
 * own CommonJS twin of the file. Every worker that imports a bundle parses all of it, and parsing
 * costs memory the worker keeps (V8's parser memory is freed to the thread's malloc arena, which
 * does not give it back): zod's error messages in 60+ languages are half its bundle (305 of 605
 * KB) and cost each worker about 5 MB, for a module that almost never calls
 * `z.config(z.locales.xx())`. English, the default, is imported on its own and stays in.
 */
const LAZY_FILES: ReadonlyArray<{ filter: RegExp; twin: string }> = [
  { filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/, twin: "index.cjs" },
];

/** `export { default as fr } from "./fr.js";` */
const DEFAULT_REEXPORT = /^export \{ default as ([A-Za-z_$][\w$]*) \} from "\.\/[\w.-]+\.js";$/;

/**
 * Replaces each file of {@link LAZY_FILES} (one that only re-exports functions, one per line) by
 * functions that load its CommonJS twin on first call and call the same export there. A file that
 * does not have exactly that shape, or has no twin, is bundled as it is.
 */
export function lazyFilesPlugin(): Plugin {
  return {
    name: "starstreamer-lazy-files",
    setup(build) {
      for (const { filter, twin } of LAZY_FILES) {
        build.onLoad({ filter }, (args) => {
          const lines = readFileSync(args.path, "utf8")
            .split("\n")
            .map((line) => line.trim())
            .filter((line) => line !== "" && !line.startsWith("//"));
          const names = lines.map((line) => DEFAULT_REEXPORT.exec(line)?.[1]);
          const twinPath = join(dirname(args.path), twin);
          if (names.length === 0 || names.some((n) => n === undefined) || !existsSync(twinPath))
            return undefined;
          const contents = [
            'import { createRequire } from "node:module";',
            `let twin;`,
            `const load = () => (twin ??= createRequire(import.meta.url)(${JSON.stringify(twinPath)}));`,
            ...names.map((name) => `export const ${name} = (...args) => load().${name}(...args);`),
          ].join("\n");
          return { contents, loader: "js" };
        });
      }
    },
  };
}

/**
 * One-file ESM bundles of the npm packages module workers import (zod, kysely...), built once
 * and kept across runs by package version. A worker importing a package's hundred small files
 * pays for each one (kysely: 124 ms in a fresh worker; bundled: 39 ms); one bundle per package,
 * shared by every module and the worker runtime, keeps one instance per worker too.
 * Native packages and CommonJS entries are not bundled (Node loads them best as they are).
 * Bundles are written without comments and line breaks: every worker that imports one keeps its
 * source text, and a single non-ASCII character in a comment (zod and kysely have some) made V8
 * store all of it two bytes per character: 1.5 MB for zod, 1 MB for kysely, in each worker.
 */
export class VendorBundles {
  readonly #dir: string;

  /** The folder the bundles are kept in. */
  get dir(): string {
    return this.#dir;
  }
  readonly #pending = new Map<string, Promise<string | null>>();

  constructor(dir: string) {
    this.#dir = dir;
  }

  /** The file: URL of the bundle of package `name` (whose entry resolved to `entry`), or null. */
  urlFor(name: string, entry: string): Promise<string | null> {
    let pending = this.#pending.get(entry);
    if (!pending) {
      pending = this.#bundle(name, entry);
      this.#pending.set(entry, pending);
    }
    return pending;
  }

  async #bundle(name: string, entry: string): Promise<string | null> {
    const pkg = packageOf(name, entry);
    if (!pkg || !isEsm(entry) || pkg.json.gypfile === true || existsSync(join(pkg.dir, "binding.gyp")))
      return null;
    const version = typeof pkg.json.version === "string" ? pkg.json.version : "0";
    const file = join(this.#dir, `${name.replace("/", "+")}@${version}.${FORMAT}.mjs`);
    if (!existsSync(file)) {
      const result = await build({
        entryPoints: [entry],
        bundle: true,
        format: "esm",
        platform: "node",
        mainFields: ["module", "main"],
        target: "node20",
        // Names stay as they are (stack frames still name the function); only white space goes.
        minifyWhitespace: true,
        plugins: [lazyFilesPlugin()],
        write: false,
        logLevel: "silent",
        banner: {
          js: 'import { createRequire as __ssCreateRequire } from "node:module"; const require = __ssCreateRequire(import.meta.url);',
        },
      });
      await mkdir(this.#dir, { recursive: true });
      // Written aside and renamed, so a concurrent host never imports half a file.
      const partial = `${file}.${process.pid}.tmp`;
      await writeFile(partial, result.outputFiles[0]!.contents);
      await rename(partial, file);
    }
    return pathToFileURL(file).href;
  }
}
