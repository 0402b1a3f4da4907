import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { runtimeFileExtension, runtimeSrcDir, workerBundleOptions } from "./resolve-paths.ts";
import type { VendorBundles } from "./vendor-bundles.ts";

/** The built worker runtime: the entry every module worker starts from, and the storage entry. */
export interface RuntimeBundle {
  workerUrl: URL;
  databaseEntryUrl: string;
}

/**
 * Builds the worker entry and the storage entry into `outDir`. Workers cannot load TypeScript
 * (tsx in a worker costs ~190 ms and ~25 MB each), so the runtime is bundled to plain ESM once
 * per host start: from its sources in the repository, from its compiled dist/ when installed.
 */
export async function buildRuntimeBundle(outDir: string, vendor?: VendorBundles): Promise<RuntimeBundle> {
  await mkdir(outDir, { recursive: true });
  await build({
    entryPoints: {
      worker: join(runtimeSrcDir, "worker", `worker-main${runtimeFileExtension}`),
      database: join(runtimeSrcDir, "worker", `database-entry${runtimeFileExtension}`),
    },
    outdir: outDir,
    ...workerBundleOptions(vendor),
  });
  return {
    workerUrl: pathToFileURL(join(outDir, "worker.mjs")),
    databaseEntryUrl: pathToFileURL(join(outDir, "database.mjs")).href,
  };
}
