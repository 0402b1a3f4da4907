import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { BuildOptions, Plugin } from "esbuild";
import { packageNameOf, type VendorBundles } from "./vendor-bundles.ts";

const require = createRequire(import.meta.url);

/**
 * The export condition under which StarStreamer's packages resolve to their TypeScript sources
 * (`"@starstreamer/source": "./src/index.ts"` in each package.json); without it they resolve to
 * their compiled `dist/`. Only this repository (tests, the dev CLI, tsc) asks for it.
 */
export const SOURCE_CONDITION = "@starstreamer/source";

/** True when the runtime itself runs from its TypeScript sources (in the repository), false from dist/. */
export const runningFromSources: boolean = import.meta.url.endsWith(".ts");

/** The runtime's own code folder: its src/ in the repository, its dist/ in an installed package. */
export const runtimeSrcDir: string = dirname(dirname(fileURLToPath(import.meta.url)));

/** The extension of the runtime's own files in `runtimeSrcDir` (".ts" from sources, ".js" built). */
export const runtimeFileExtension: string = runningFromSources ? ".ts" : ".js";

/**
 * Absolute path of the SDK's entry, so a module anywhere on disk bundles the same SDK: its sources
 * when the runtime runs from sources, its compiled ESM when installed (nothing else is published).
 */
export const sdkEntryPath: string = (() => {
  const manifest = require.resolve("starstreamer/package.json");
  const { exports } = JSON.parse(readFileSync(manifest, "utf8")) as {
    exports: { ".": Record<string, string> };
  };
  const target = exports["."][runningFromSources ? SOURCE_CONDITION : "default"];
  if (target === undefined) throw new Error(`${manifest}: exports["."] has no entry for this runtime`);
  return join(dirname(manifest), target);
})();

/** The SDK and StarStreamer's own packages: always bundled, as they are from sources. */
const OWN_PACKAGE = /^(starstreamer|@starstreamer\/[^/]+)(\/|$)/;

const TYPESCRIPT = /\.(c|m)?tsx?$/;

/**
 * Resolves `import "starstreamer"` to the SDK (bundled, tree-shaken: see sdkEntryPath) and the
 * other StarStreamer packages to their code (bundled), and every other package that Node can load
 * as it is (JavaScript under node_modules: zod, kysely, better-sqlite3, comlink...) to an absolute
 * file URL left outside the bundle. So a bundle written to any folder
 * runs without Node resolving a package from there, and a rebuild does not re-link zod (8 ms
 * instead of 45 ms for the greeter). Workspace and TypeScript packages are bundled.
 */
export function resolvePlugin(vendor?: VendorBundles): Plugin {
  return {
    name: "starstreamer-resolve",
    setup(build) {
      build.onResolve({ filter: /^starstreamer$/ }, () => ({ path: sdkEntryPath, sideEffects: false }));
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData?.starstreamerResolving || args.path.startsWith("node:")) return undefined;
        const resolved = await build.resolve(args.path, {
          kind: args.kind,
          resolveDir: args.resolveDir,
          importer: args.importer,
          pluginData: { starstreamerResolving: true },
        });
        if (resolved.errors.length > 0 || resolved.external || !resolved.path) return undefined;
        if (
          !resolved.path.includes("/node_modules/") ||
          TYPESCRIPT.test(resolved.path) ||
          OWN_PACKAGE.test(args.path)
        ) {
          return { path: resolved.path, sideEffects: resolved.sideEffects };
        }
        const vendored =
          args.path === packageNameOf(args.path) ? await vendor?.urlFor(args.path, resolved.path) : null;
        return { path: vendored ?? pathToFileURL(resolved.path).href, external: true };
      });
    },
  };
}

/** The esbuild options every bundle a worker imports shares: one ESM file for Node 20, SDK resolved. */
export function workerBundleOptions(vendor?: VendorBundles): BuildOptions {
  return {
    outExtension: { ".js": ".mjs" },
    bundle: true,
    format: "esm",
    // Splitting turns a module's `await import("./actions/x.ts")` into a real chunk. Without it
    // esbuild inlines the import as a lazy wrapper, which disables tree shaking: every module
    // bundle then carried the whole SDK and zod (840 KB instead of 10 KB, 60 ms more per build).
    splitting: true,
    platform: "node",
    // From sources, StarStreamer's packages resolve to src/ (setting conditions drops esbuild's
    // implicit "module", so it is listed again); installed, to their dist/ as Node resolves them.
    ...(runningFromSources ? { conditions: [SOURCE_CONDITION, "module"] } : {}),
    // Prefer a package's ESM build: a UMD "main" (comlink's) loses its named exports when imported from ESM.
    mainFields: ["module", "main"],
    target: "node20",
    sourcemap: "linked",
    // Stack frames need the mappings only; the sources are on disk. Node reads the map of every
    // module a worker loads (source maps are on there), and the sources' text made them ~7x larger.
    sourcesContent: false,
    logLevel: "silent",
    plugins: [resolvePlugin(vendor)],
    // CJS dependencies bundled into ESM may call require() for Node built-ins.
    banner: {
      js: 'import { createRequire as __ssCreateRequire } from "node:module"; const require = __ssCreateRequire(import.meta.url);',
    },
  };
}
