import { randomBytes } from "node:crypto";
import { rm, writeFile } from "node:fs/promises";
import { basename, dirname, join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { type BuildFailure, build, type Message, type Plugin } from "esbuild";
import { CliErrorCodes, UsageError } from "../errors.ts";
import { bundledSdkUrl } from "../main-bundle/bundled-sdk.ts";

/** `file:line:column: text` for an esbuild message, the file relative to `root`. */
function where(message: Message, root: string): string {
  const location = message.location;
  if (!location) return message.text;
  const file = relative(root, join(root, location.file)) || location.file;
  return `${file}:${location.line}:${location.column + 1}: ${message.text}`;
}

/**
 * When the CLI runs bundled, `import ... from "starstreamer"` in the config is pointed at the SDK
 * inside the bundle: the same instances the CLI runs, not a second copy (and a second zod) loaded
 * from the package's dist/.
 */
function sdkPlugin(): Plugin[] {
  const url = bundledSdkUrl();
  if (url === undefined) return [];
  return [
    {
      name: "starstreamer-bundled-sdk",
      setup(b) {
        b.onResolve({ filter: /^starstreamer$/ }, () => ({ path: url, external: true }));
      },
    },
  ];
}

/**
 * Loads a TypeScript or JavaScript config file the way Vite loads `vite.config.ts`: esbuild
 * bundles it (its own relative imports included, packages left as imports) into a temporary
 * `.mjs` file next to it, so its imports resolve from the project; that file is imported once
 * and removed. Works the same with or without a TypeScript loader, on every supported Node
 * (Node 24 strips types itself and resolved a `.ts` import with a query string differently).
 * @returns the module's default export (undefined when it has none)
 * @throws UsageError `SS_CLI_CONFIG` with `file:line:column` for a syntax error, or the message
 *   of what the config threw while it ran.
 */
export async function importConfigModule(file: string): Promise<{ default?: unknown }> {
  const dir = dirname(file);
  const name = basename(file);
  let code: string;
  try {
    const result = await build({
      entryPoints: [file],
      absWorkingDir: dir,
      bundle: true,
      packages: "external",
      format: "esm",
      platform: "node",
      target: "node20",
      write: false,
      logLevel: "silent",
      sourcemap: "inline",
      plugins: sdkPlugin(),
      // import.meta.url/dirname in the config mean the config file, not the temporary copy.
      define: {
        "import.meta.url": JSON.stringify(pathToFileURL(file).href),
        "import.meta.dirname": JSON.stringify(dir),
        "import.meta.filename": JSON.stringify(file),
      },
    });
    code = result.outputFiles[0]?.text ?? "";
  } catch (error) {
    const errors = (error as BuildFailure).errors ?? [];
    const first = errors[0];
    throw new UsageError(
      CliErrorCodes.CONFIG,
      first
        ? `${name} could not be loaded: ${where(first, dir)}${errors.length > 1 ? ` (+${errors.length - 1} more)` : ""}`
        : `${name} could not be loaded: ${(error as Error).message}`,
      { file, errors: errors.map((e) => where(e, dir)) },
    );
  }
  const temp = join(dir, `${name}.timestamp-${Date.now()}-${randomBytes(4).toString("hex")}.mjs`);
  await writeFile(temp, code);
  try {
    return (await import(pathToFileURL(temp).href)) as { default?: unknown };
  } catch (error) {
    const e = error as Error;
    throw new UsageError(
      CliErrorCodes.CONFIG,
      `${name} could not be loaded: ${e.message.split("\n")[0]?.replaceAll(basename(temp), name) ?? String(error)}`,
      { file },
    );
  } finally {
    await rm(temp, { force: true });
  }
}
