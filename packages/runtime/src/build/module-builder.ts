import { existsSync } from "node:fs";
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { type BuildContext, type BuildFailure, context, type Message } from "esbuild";
import { StarStreamerError } from "starstreamer";
import { RuntimeErrorCodes } from "../errors.ts";
import { runtimeSrcDir, workerBundleOptions } from "./resolve-paths.ts";
import type { VendorBundles } from "./vendor-bundles.ts";

/** The files a module folder may use as its definition, in the order they are looked for. */
export const MODULE_ENTRY_FILES = [
  "module.ts",
  "module.mts",
  "module.js",
  "module.mjs",
  "index.ts",
  "index.js",
];

/** A module bundle on disk, ready for a worker to import. */
export interface ModuleBuild {
  module: string;
  /** file: URL of the bundled module entry. */
  url: string;
  /** Built job files by job name (`jobs/<name>.ts` in the module folder). */
  jobs: Map<string, string>;
  /** Absolute paths of the source files the bundle was made from. */
  inputs: string[];
  /** file: URLs of the packages the bundle imports from outside (vendor bundles, node_modules). */
  externals: string[];
  durationMs: number;
  /** The folder holding this build's files; removed by `release`. */
  dir: string;
}

/** One esbuild problem, with the position a developer jumps to. */
export interface BuildProblem {
  file: string | null;
  line: number | null;
  column: number | null;
  text: string;
}

/** Finds the definition file of a module folder, or null. */
export function findModuleEntry(moduleDir: string): string | null {
  for (const file of MODULE_ENTRY_FILES) {
    const path = join(moduleDir, file);
    if (existsSync(path)) return path;
  }
  return null;
}

/** esbuild reports files relative to `baseDir` (its absWorkingDir); problems name them relative to `cwd`. */
function describe(messages: Message[], cwd: string, baseDir: string): BuildProblem[] {
  return messages.map((m) => ({
    file: m.location ? relative(cwd, resolve(baseDir, m.location.file)) : null,
    line: m.location?.line ?? null,
    column: m.location ? m.location.column + 1 : null,
    text: m.text,
  }));
}

/** node_modules folders above the project and above the runtime itself, nearest first. */
function nodeModulesPaths(cwd: string): string[] {
  const paths: string[] = [];
  for (let dir of [cwd, runtimeSrcDir]) {
    for (;;) {
      const candidate = join(dir, "node_modules");
      if (existsSync(candidate) && !paths.includes(candidate)) paths.push(candidate);
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return paths;
}

async function jobEntries(moduleDir: string): Promise<Record<string, string>> {
  const dir = join(moduleDir, "jobs");
  if (!existsSync(dir)) return {};
  const entries: Record<string, string> = {};
  for (const file of await readdir(dir)) {
    const match = /^([a-z0-9][a-z0-9_-]*)\.(ts|mts|js|mjs)$/.exec(file);
    if (match && !/\.(test|spec)\./.test(file)) entries[`jobs/${match[1]}`] = join(dir, file);
  }
  return entries;
}

/**
 * Builds modules with esbuild, keeping one incremental context per module so a rebuild after a
 * save costs a few milliseconds. Each build lands in its own folder: the old worker keeps its
 * files while it drains, and `release` removes them after the swap.
 */
export class ModuleBuilder {
  readonly #outRoot: string;
  readonly #cwd: string;
  readonly #contexts = new Map<string, { ctx: BuildContext; key: string }>();
  #sequence = 0;

  readonly #vendor: VendorBundles | undefined;

  constructor(options: { outDir: string; cwd?: string; vendor?: VendorBundles }) {
    this.#outRoot = options.outDir;
    this.#vendor = options.vendor;
    this.#cwd = options.cwd ?? process.cwd();
  }

  /** Builds the module in `moduleDir`; throws SS_MODULE_BUILD_FAILED with file:line:column on errors. */
  async build(module: string, moduleDir: string): Promise<ModuleBuild> {
    const started = performance.now();
    const entry = findModuleEntry(moduleDir);
    if (!entry) {
      throw new StarStreamerError(
        RuntimeErrorCodes.MODULE_ENTRY_MISSING,
        `${relative(this.#cwd, moduleDir) || moduleDir}: no module.ts (a module folder needs one of ${MODULE_ENTRY_FILES.join(", ")})`,
        { data: { module, dir: moduleDir } },
      );
    }
    const entryPoints = { module: entry, ...(await jobEntries(moduleDir)) };
    const key = JSON.stringify(entryPoints);
    let current = this.#contexts.get(module);
    if (current && current.key !== key) {
      await current.ctx.dispose();
      current = undefined;
    }
    const virtualOut = join(this.#outRoot, module, "out");
    if (!current) {
      const ctx = await context({
        entryPoints,
        outdir: virtualOut,
        ...workerBundleOptions(this.#vendor),
        write: false,
        metafile: true,
        // Handler ids default to function names: keep them when bundling renames a colliding one.
        keepNames: true,
        absWorkingDir: moduleDir,
        // A module folder copied anywhere (a temp folder in tests) still finds the project's packages.
        nodePaths: nodeModulesPaths(this.#cwd),
      });
      current = { ctx, key };
      this.#contexts.set(module, current);
    }
    let result: Awaited<ReturnType<BuildContext["rebuild"]>>;
    try {
      result = await current.ctx.rebuild();
    } catch (error) {
      const problems = describe((error as BuildFailure).errors ?? [], this.#cwd, moduleDir);
      const first = problems[0];
      const where = first?.file ? `${first.file}:${first.line}:${first.column}: ` : "";
      throw new StarStreamerError(
        RuntimeErrorCodes.MODULE_BUILD_FAILED,
        `${module} did not build: ${where}${first?.text ?? String(error)}${problems.length > 1 ? ` (+${problems.length - 1} more)` : ""}`,
        { data: { module, errors: problems } },
      );
    }
    const dir = join(this.#outRoot, module, `b${Date.now().toString(36)}-${++this.#sequence}`);
    await mkdir(dir, { recursive: true });
    await Promise.all(
      (result.outputFiles ?? []).map(async (file) => {
        const target = join(dir, relative(virtualOut, file.path));
        await mkdir(dirname(target), { recursive: true });
        await writeFile(target, file.contents);
      }),
    );
    const jobs = new Map<string, string>();
    for (const name of Object.keys(entryPoints)) {
      if (name.startsWith("jobs/")) jobs.set(name.slice(5), join(dir, `${name}.mjs`));
    }
    const inputs = Object.keys(result.metafile?.inputs ?? {})
      .map((path) => resolve(moduleDir, path))
      .filter((path) => path.startsWith(`${moduleDir}/`));
    const externals = new Set<string>();
    for (const output of Object.values(result.metafile?.outputs ?? {})) {
      for (const imported of output.imports) {
        if (imported.external && imported.path.startsWith("file:")) externals.add(imported.path);
      }
    }
    return {
      module,
      url: pathToFileURL(join(dir, "module.mjs")).href,
      jobs,
      inputs,
      externals: [...externals],
      durationMs: performance.now() - started,
      dir,
    };
  }

  /** Removes a build's files once no worker uses them. */
  async release(build: ModuleBuild): Promise<void> {
    await rm(build.dir, { recursive: true, force: true });
  }

  /** Drops the module's incremental context (on unload). */
  async forget(module: string): Promise<void> {
    const current = this.#contexts.get(module);
    this.#contexts.delete(module);
    await current?.ctx.dispose();
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.#contexts.values()].map(({ ctx }) => ctx.dispose()));
    this.#contexts.clear();
  }
}
