import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const BIOME_CONFIGS = ["biome.json", "biome.jsonc"];

/**
 * Formats new files with the project's own formatter, so they pass its lint step as written:
 * Biome, when the project has a biome.json and Biome installed. Resolves with the formatter's
 * name, or null when the project has none (the files are left as generated) or it failed.
 */
export async function formatWithProjectFormatter(root: string, files: string[]): Promise<string | null> {
  if (!BIOME_CONFIGS.some((name) => existsSync(join(root, name)))) return null;
  let bin: string;
  try {
    bin = createRequire(join(root, "package.json")).resolve("@biomejs/biome/bin/biome");
  } catch {
    return null;
  }
  try {
    await run(process.execPath, [bin, "format", "--write", ...files], { cwd: root, timeout: 30_000 });
    return "biome";
  } catch {
    return null;
  }
}
