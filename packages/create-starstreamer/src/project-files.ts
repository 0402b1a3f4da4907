import { readdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** The files of a new project that are copied as they are (modules/greeter, configs, README). */
export const templateDir: string = fileURLToPath(new URL("../template/", import.meta.url));

/** Template files named without their dot, so that npm packs them (it drops a `.gitignore`). */
const DOT_FILES: Record<string, string> = { gitignore: ".gitignore", "env.example": ".env.example" };

/** The tools a new project tests with; a test keeps them equal to this repository's own. */
export const TOOL_VERSIONS = {
  "@types/node": "^20.19.0",
  typescript: "~5.9.3",
  vitest: "~4.1.12",
} as const;

/** The dependencies whose install scripts a new project allows (as this repository does). */
export const ALLOWED_SCRIPTS = { "better-sqlite3": true, esbuild: true } as const;

/** This package's version: the StarStreamer release a new project depends on. */
export const starstreamerVersion: string = (
  createRequire(import.meta.url)("../package.json") as { version: string }
).version;

/** The `package.json` of a new project called `name`, depending on StarStreamer `version`. */
export function projectPackageJson(name: string, version: string = starstreamerVersion): string {
  const manifest = {
    name,
    version: "0.1.0",
    private: true,
    type: "module",
    engines: { node: ">=20.19.0" },
    scripts: {
      dev: "starstreamer dev",
      start: "starstreamer start",
      test: "tsc && vitest run",
    },
    dependencies: {
      "@starstreamer/cli": `^${version}`,
      starstreamer: `^${version}`,
    },
    devDependencies: {
      "@starstreamer/testing": `^${version}`,
      ...TOOL_VERSIONS,
    },
    // npm runs no dependency's install script unless allowed: SQLite's native addon and esbuild's
    // binary need theirs.
    allowScripts: ALLOWED_SCRIPTS,
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join("/"))
    .sort();
}

/**
 * Every file of a new project called `name`, by its path inside the project (forward slashes):
 * the template with `{{name}}` filled in, and the generated `package.json`.
 */
export async function projectFiles(name: string, version?: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const path of await listFiles(templateDir)) {
    const text = await readFile(join(templateDir, path), "utf8");
    files.set(DOT_FILES[path] ?? path, text.replaceAll("{{name}}", name));
  }
  files.set("package.json", projectPackageJson(name, version));
  return files;
}
