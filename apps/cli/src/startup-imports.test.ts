import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Metafile } from "esbuild";
import { describe, expect, it } from "vitest";

const cliSrc = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(cliSrc, "..", "..", "..");
const OWN_PACKAGE = /^(starstreamer|@starstreamer\/[^/]+)(\/|$)/;

/** `@scope/pkg/sub` -> `@scope/pkg`, `pkg/sub` -> `pkg`. */
const packageName = (specifier: string) =>
  specifier
    .split("/")
    .slice(0, specifier.startsWith("@") ? 2 : 1)
    .join("/");

/**
 * What importing `entry` evaluates before any `import()` runs: StarStreamer's own files (their
 * sources, followed through the workspace packages) and the npm packages they import statically.
 * esbuild resolves the graph; `import type` is erased as Node erases it in the built JavaScript.
 */
async function staticImports(entry: string): Promise<{ files: string[]; packages: string[] }> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    metafile: true,
    platform: "node",
    format: "esm",
    logLevel: "silent",
    absWorkingDir: repoRoot,
    conditions: ["@starstreamer/source"],
    plugins: [
      {
        name: "npm-packages-external",
        setup(b) {
          b.onResolve({ filter: /^[^./]/ }, (args) =>
            OWN_PACKAGE.test(args.path) || args.path.startsWith("node:")
              ? undefined
              : { path: args.path, external: true },
          );
        },
      },
    ],
  });
  const inputs: Metafile["inputs"] = result.metafile.inputs;
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (path: string) => {
    if (files.has(path)) return;
    files.add(path);
    for (const imported of inputs[path]?.imports ?? []) {
      if (imported.kind !== "import-statement") continue;
      if (imported.external) {
        if (!imported.path.startsWith("node:")) packages.add(packageName(imported.path));
      } else visit(imported.path);
    }
  };
  visit(relative(repoRoot, entry));
  return { files: [...files].sort(), packages: [...packages].sort() };
}

const TWITCH = ["@twurple/api", "@twurple/auth", "@twurple/chat", "@twurple/common", "@twurple/eventsub-ws"];

describe("what a command loads before it needs it (start-up time)", () => {
  it("the plugins' main entry leaves twurple to @starstreamer/plugins/twitch", async () => {
    const main = await staticImports(join(repoRoot, "packages", "plugins", "src", "index.ts"));
    expect(main.packages).toContain("obs-websocket-js");
    for (const name of TWITCH) expect(main.packages).not.toContain(name);

    const twitch = await staticImports(join(repoRoot, "packages", "plugins", "src", "twitch", "index.ts"));
    expect(twitch.packages).toEqual(expect.arrayContaining(TWITCH));
  });

  it("`starstreamer --help` and `--version` are answered from a file that imports nothing", async () => {
    expect(await staticImports(join(cliSrc, "main-help.ts"))).toEqual({
      files: ["apps/cli/src/main-help.ts"],
      packages: [],
    });
  });

  it("the command line itself loads no host, config loader, Twitch, admin server or watcher", async () => {
    const { files, packages } = await staticImports(join(cliSrc, "main.ts"));
    expect(files).toContain("apps/cli/src/args.ts");
    for (const name of [
      ...TWITCH,
      "hono",
      "@hono/node-server",
      "chokidar",
      "esbuild",
      "kysely",
      "better-sqlite3",
      "zod",
    ])
      expect(packages).not.toContain(name);
    for (const file of files) expect(file).not.toMatch(/packages\/(runtime|admin|storage|plugins)\//);
    expect(files.some((f) => f.endsWith("apps/cli/src/config/load-config.ts"))).toBe(false);
    // The SDK only through its zod-free entry (errors, log levels): the supervisor starts sooner.
    expect(files.filter((f) => f.startsWith("packages/starstreamer/"))).toEqual([
      "packages/starstreamer/src/basics.ts",
      "packages/starstreamer/src/config/log-levels.ts",
      "packages/starstreamer/src/errors.ts",
    ]);
  });

  it("the dev supervisor starts its first host before loading the config loader or chokidar", async () => {
    const { files, packages } = await staticImports(join(cliSrc, "supervisor", "supervisor.ts"));
    expect(files).toContain("apps/cli/src/config/config-files.ts");
    for (const name of ["chokidar", "esbuild", "kysely", "hono", "zod", ...TWITCH])
      expect(packages).not.toContain(name);
    for (const file of files) expect(file).not.toMatch(/packages\/(runtime|admin|storage|plugins)\//);
    expect(files.some((f) => f.endsWith("apps/cli/src/config/load-config.ts"))).toBe(false);
  });

  it("the launcher starts dev's first host from a file that imports nothing but node:child_process", async () => {
    expect(await staticImports(join(cliSrc, "supervisor", "host-process.ts"))).toEqual({
      files: ["apps/cli/src/supervisor/host-process.ts"],
      packages: [],
    });
  });

  it("an offline host loads twurple never and the admin server (Hono) only while its modules start", async () => {
    const { files, packages } = await staticImports(join(cliSrc, "host", "run-host.ts"));
    expect(packages).toContain("better-sqlite3");
    for (const name of [...TWITCH, "hono", "@hono/node-server", "@hono/zod-openapi", "chokidar"])
      expect(packages).not.toContain(name);
    for (const file of files) expect(file).not.toMatch(/packages\/admin\//);
  });
});
