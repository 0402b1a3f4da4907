import { readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { build } from "esbuild";
import { BUNDLED_SDK_GLOBAL } from "./bundled-sdk.ts";
import { packageMetaPlugin } from "./package-meta.ts";

/**
 * What the main bundle leaves to Node: native code (better-sqlite3), packages that start their own
 * files by path (esbuild's binary, piscina's workers), what only some launches load (twurple,
 * without Twitch; TypeScript, in the type-check job), and obs-websocket-js, whose `ws` dependency
 * asks for optional native add-ons. The CLI's package.json lists each as its own dependency, so
 * npm puts them where the bundle (in the CLI's folder) finds them.
 */
export const BUNDLE_EXTERNALS = [
  "better-sqlite3",
  "esbuild",
  "piscina",
  "@twurple/*",
  "obs-websocket-js",
  "typescript",
  "tsx",
  "fsevents",
];

/** StarStreamer's own packages: the only ones whose files may use import.meta in the bundle. */
const OWN_PACKAGE = /^(starstreamer|@starstreamer\/[^/]+)$/;

/** The SDK's published entry (its `exports["."].default`), whatever conditions this process runs with. */
function sdkEntry(cliDir: string): string {
  const manifest = createRequire(join(cliDir, "package.json")).resolve("starstreamer/package.json");
  const { exports } = JSON.parse(readFileSync(manifest, "utf8")) as { exports: { ".": { default: string } } };
  return join(dirname(manifest), exports["."].default);
}

/**
 * Bundles the compiled CLI (`dist/main.js`) and every package its main thread imports, but for
 * {@link BUNDLE_EXTERNALS}, into `dist/bundle/`: `main.mjs`, `sdk.mjs` (the SDK the project's
 * config imports: the same instances the bundle runs) and the chunks they share. Node then loads
 * a handful of files instead of ~600 (Kysely alone is 263, zod 95, hono 58): measured on a
 * 2-vCPU machine, the imports took ~550 ms of a warm start's ~850. Runs after `tsc -b`, as part
 * of the package's build; the launcher (launch.mjs) runs `dist/bundle/main.mjs` when installed.
 */
export async function buildMainBundle(cliDir: string): Promise<{ outDir: string; inputs: number }> {
  const outDir = join(cliDir, "dist", "bundle");
  await rm(outDir, { recursive: true, force: true });
  const result = await build({
    entryPoints: { main: join(cliDir, "dist", "main.js"), sdk: sdkEntry(cliDir) },
    outdir: outDir,
    outExtension: { ".js": ".mjs" },
    absWorkingDir: cliDir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    // A package's ESM build: a UMD "main" (comlink's) loses its named exports when imported from ESM.
    mainFields: ["module", "main"],
    external: BUNDLE_EXTERNALS,
    sourcemap: "linked",
    sourcesContent: false,
    metafile: true,
    logLevel: "warning",
    plugins: [packageMetaPlugin((name) => OWN_PACKAGE.test(name))],
    banner: {
      js: [
        // CommonJS dependencies bundled into ESM may call require() for Node's built-ins.
        'import { createRequire as __ssCreateRequire } from "node:module";',
        "const require = __ssCreateRequire(import.meta.url);",
        `globalThis[Symbol.for(${JSON.stringify(BUNDLED_SDK_GLOBAL)})] ??= new URL("./sdk.mjs", import.meta.url).href;`,
      ].join(" "),
    },
  });
  return { outDir, inputs: Object.keys(result.metafile.inputs).length };
}
