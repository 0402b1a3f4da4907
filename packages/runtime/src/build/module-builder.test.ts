import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ModuleBuilder } from "./module-builder.ts";
import { VendorBundles } from "./vendor-bundles.ts";

let dir: string;
let builder: ModuleBuilder;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "starstreamer-builder-"));
  builder = new ModuleBuilder({
    outDir: join(dir, "out"),
    cwd: dir,
    vendor: new VendorBundles(join(dir, "vendor")),
  });
});

afterEach(async () => {
  await builder.dispose();
  rmSync(dir, { recursive: true, force: true });
});

function writeModule(name: string, source: string): string {
  const moduleDir = join(dir, "modules", name);
  mkdirSync(moduleDir, { recursive: true });
  writeFileSync(join(moduleDir, "module.ts"), source);
  return moduleDir;
}

/** The text of every file a build wrote (code and source maps). */
function builtText(buildDir: string): string {
  return readdirSync(buildDir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(join(entry.parentPath, entry.name), "utf8"))
    .join("\n");
}

describe("ModuleBuilder", () => {
  it("keeps zod out of a module that uses every trigger builder but not zod itself", async () => {
    const moduleDir = writeModule(
      "triggers",
      `import { command, cooldown, defineModule, keyword, on, regex, userLevel } from "starstreamer";
export default defineModule({
  name: "triggers",
  version: "1.0.0",
  registerActions() {
    on("twitch.chat.message", [command("!give", { args: ["to:user", "amount:int"] }), userLevel("vip")], async () => {});
    on("twitch.chat.message", [keyword("hello"), regex(/^hi/i), cooldown({ user: "5s" })], async () => {});
  },
});
`,
    );
    const build = await builder.build("triggers", moduleDir);
    expect(build.externals.filter((url) => url.includes("zod"))).toEqual([]);
    expect(builtText(build.dir)).not.toMatch(/node_modules\/zod|zod@/);
  });

  it("links the packages a module imports as vendor bundles, ASCII only and without comments", async () => {
    const moduleDir = writeModule(
      "configured",
      `import { defineModule } from "starstreamer";
import { sql } from "kysely";
import { z } from "zod";
export const now = sql\`select 1\`;
export default defineModule({
  name: "configured",
  version: "1.0.0",
  config: z.object({ currency: z.string().default("points") }),
});
`,
    );
    const build = await builder.build("configured", moduleDir);
    const vendored = build.externals.filter((url) => /\/(zod|kysely)@[^/]+\.mjs$/.test(url));
    expect(vendored).toHaveLength(2);
    for (const url of vendored) {
      const text = readFileSync(fileURLToPath(url), "utf8");
      // One non-ASCII character makes V8 keep the whole source two bytes per character.
      expect(text).not.toMatch(/[^\t\n\r -~]/);
      expect(text).not.toMatch(/^\s*\/\//m);
    }
    const module = (await import(build.url)) as { default: { new (): { configSchema?: unknown } } };
    const schema = new module.default().configSchema as { parse(v: unknown): unknown };
    expect(schema.parse({})).toEqual({ currency: "points" });
  });

  it("writes source maps with the mappings and source paths, not the sources' text", async () => {
    const moduleDir = writeModule(
      "mapped",
      `import { defineModule } from "starstreamer";
export default defineModule({ name: "mapped", version: "1.0.0" });
`,
    );
    const build = await builder.build("mapped", moduleDir);
    const map = JSON.parse(readFileSync(join(build.dir, "module.mjs.map"), "utf8")) as {
      sources: string[];
      mappings: string;
      sourcesContent?: unknown;
    };
    expect(map.sources.some((source) => source.endsWith("mapped/module.ts"))).toBe(true);
    expect(map.mappings.length).toBeGreaterThan(0);
    expect(map.sourcesContent).toBeUndefined();
  });
});
