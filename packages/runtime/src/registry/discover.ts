import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { findModuleEntry } from "../build/module-builder.ts";

/** Folder names that are never modules. */
const SKIP = /^(\.|_|node_modules$)/;

/** The module folders directly inside `modulesDir` (a folder with a module.ts or index.ts). */
export async function discoverModuleDirs(modulesDir: string): Promise<string[]> {
  if (!existsSync(modulesDir)) return [];
  const entries = await readdir(modulesDir, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory() && !SKIP.test(e.name))
    .map((e) => join(modulesDir, e.name))
    .filter((dir) => findModuleEntry(dir) !== null)
    .sort();
}
