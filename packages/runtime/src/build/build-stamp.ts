import { existsSync } from "node:fs";
import { readFile, stat, writeFile } from "node:fs/promises";
import { isAbsolute, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Metafile } from "esbuild";

/**
 * What a build on disk was made from: a key (the esbuild version and the options that shape the
 * output) and every input file's size and modification time. A later start whose key and inputs
 * match reuses the output instead of building again.
 */
export interface BuildStamp {
  key: string;
  /** Absolute input path -> [size, mtimeMs]. */
  inputs: Record<string, [number, number]>;
  /** Absolute paths of the files the build wrote, and of those it imports from outside itself. */
  files: string[];
}

/** The stamp of a finished build, from its metafile (paths relative to `workingDir`). */
export async function stampBuild(key: string, metafile: Metafile, workingDir: string): Promise<BuildStamp> {
  const inputs: BuildStamp["inputs"] = {};
  await Promise.all(
    Object.keys(metafile.inputs).map(async (path) => {
      const file = isAbsolute(path) ? path : join(workingDir, path);
      const info = await stat(file);
      inputs[file] = [info.size, info.mtimeMs];
    }),
  );
  const files = new Set<string>();
  for (const [path, output] of Object.entries(metafile.outputs)) {
    files.add(isAbsolute(path) ? path : join(workingDir, path));
    for (const imported of output.imports) {
      if (imported.external && imported.path.startsWith("file:")) files.add(fileURLToPath(imported.path));
    }
  }
  return { key, inputs, files: [...files] };
}

/** Writes the stamp beside the output it describes. */
export async function writeStamp(file: string, stamp: BuildStamp): Promise<void> {
  await writeFile(file, JSON.stringify(stamp));
}

/**
 * True when the stamp in `file` has this key, every input still has its size and modification
 * time, and every file the build wrote or imports still exists. Any doubt (no stamp, unreadable
 * JSON, a file gone) is false: the caller builds.
 */
export async function stampIsFresh(file: string, key: string): Promise<boolean> {
  let stamp: BuildStamp;
  try {
    stamp = JSON.parse(await readFile(file, "utf8")) as BuildStamp;
  } catch {
    return false;
  }
  if (stamp?.key !== key || typeof stamp.inputs !== "object" || !Array.isArray(stamp.files)) return false;
  if (!stamp.files.every((path) => existsSync(path))) return false;
  const checks = await Promise.all(
    Object.entries(stamp.inputs).map(async ([path, [size, mtimeMs]]) => {
      try {
        const info = await stat(path);
        return info.size === size && info.mtimeMs === mtimeMs;
      } catch {
        return false;
      }
    }),
  );
  return checks.every(Boolean);
}
