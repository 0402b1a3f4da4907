import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build, version as esbuildVersion } from "esbuild";
import { stampBuild, stampIsFresh, writeStamp } from "./build-stamp.ts";
import {
  runningFromSources,
  runtimeFileExtension,
  runtimeSrcDir,
  workerBundleOptions,
} from "./resolve-paths.ts";
import type { VendorBundles } from "./vendor-bundles.ts";

/** The built worker runtime: the entry every module worker starts from, and the storage entry. */
export interface RuntimeBundle {
  workerUrl: URL;
  databaseEntryUrl: string;
}

/** Changed whenever how the runtime bundle is built changes, so older bundles on disk are rebuilt. */
const FORMAT = 1;

/**
 * Builds the worker entry and the storage entry into `outDir`. Workers cannot load TypeScript
 * (tsx in a worker costs ~190 ms and ~25 MB each), so the runtime is bundled to plain ESM: from
 * its sources in the repository, from its compiled dist/ when installed. The bundle is kept with a
 * stamp of its inputs (`build-stamp.ts`), so a start whose inputs are unchanged reuses it (about
 * 110 ms of esbuild saved on every warm start).
 */
export async function buildRuntimeBundle(outDir: string, vendor?: VendorBundles): Promise<RuntimeBundle> {
  const bundle: RuntimeBundle = {
    workerUrl: pathToFileURL(join(outDir, "worker.mjs")),
    databaseEntryUrl: pathToFileURL(join(outDir, "database.mjs")).href,
  };
  const stampFile = join(outDir, "stamp.json");
  const key = JSON.stringify({
    format: FORMAT,
    esbuild: esbuildVersion,
    runtime: runtimeSrcDir,
    fromSources: runningFromSources,
    vendor: vendor?.dir ?? null,
  });
  if (await stampIsFresh(stampFile, key)) return bundle;
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const result = await build({
    entryPoints: {
      worker: join(runtimeSrcDir, "worker", `worker-main${runtimeFileExtension}`),
      database: join(runtimeSrcDir, "worker", `database-entry${runtimeFileExtension}`),
    },
    outdir: outDir,
    ...workerBundleOptions(vendor),
    absWorkingDir: runtimeSrcDir,
    metafile: true,
  });
  await writeStamp(stampFile, await stampBuild(key, result.metafile, runtimeSrcDir));
  return bundle;
}
