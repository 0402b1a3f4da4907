import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BuildOptions, Plugin } from "esbuild";

const require = createRequire(import.meta.url);

/** Absolute path of the SDK's entry, so a module anywhere on disk bundles the same SDK. */
export const sdkEntryPath: string = require.resolve("starstreamer");

/** The runtime's own source folder. */
export const runtimeSrcDir: string = dirname(dirname(fileURLToPath(import.meta.url)));

/** better-sqlite3 is native and stays outside bundles; imported by absolute path from anywhere. */
export const betterSqlitePath: string = createRequire(
  join(dirname(require.resolve("@starstreamer/storage")), "index.ts"),
).resolve("better-sqlite3");

/**
 * Points `import "starstreamer"` at the SDK source and native packages at absolute paths, so a
 * bundle written to any folder runs without Node having to resolve a package from there.
 */
export function resolvePlugin(): Plugin {
  return {
    name: "starstreamer-resolve",
    setup(build) {
      build.onResolve({ filter: /^starstreamer$/ }, () => ({ path: sdkEntryPath }));
      build.onResolve({ filter: /^better-sqlite3$/ }, () => ({ path: betterSqlitePath, external: true }));
    },
  };
}

/** The esbuild options every bundle a worker imports shares: one ESM file for Node 20, SDK resolved. */
export function workerBundleOptions(): BuildOptions {
  return {
    outExtension: { ".js": ".mjs" },
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    sourcemap: "linked",
    logLevel: "silent",
    plugins: [resolvePlugin()],
    // CJS dependencies bundled into ESM may call require() for Node built-ins.
    banner: {
      js: 'import { createRequire as __ssCreateRequire } from "node:module"; const require = __ssCreateRequire(import.meta.url);',
    },
  };
}
