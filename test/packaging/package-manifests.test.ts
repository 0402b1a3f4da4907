import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, posix } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../paths.ts";

/** The export condition under which packages resolve to their sources (see docs/packaging.md). */
const SOURCE_CONDITION = "@starstreamer/source";

interface Manifest {
  name: string;
  exports: Record<string, string | Record<string, string>>;
  files?: string[];
  bin?: Record<string, string>;
  dependencies?: Record<string, string>;
}

const readJson = <T>(file: string) => JSON.parse(readFileSync(file, "utf8")) as T;

/** Every workspace package: its folder relative to the repository and its package.json. */
const workspaces = ["packages", "apps"].flatMap((group) =>
  readdirSync(join(repoRoot, group))
    .filter((name) => existsSync(join(repoRoot, group, name, "package.json")))
    .map((name) => {
      const dir = `${group}/${name}`;
      return { dir, manifest: readJson<Manifest>(join(repoRoot, dir, "package.json")) };
    }),
);
const byName = new Map(workspaces.map((w) => [w.manifest.name, w]));
const ours = (deps: Record<string, string> = {}) => Object.keys(deps).filter((name) => byName.has(name));

describe.each(workspaces)("$dir", ({ dir, manifest }) => {
  it("exports its sources under the source condition, then declarations and JavaScript from dist/", () => {
    for (const [subpath, target] of Object.entries(manifest.exports)) {
      if (typeof target === "string") {
        // Plain files shipped as they are (package.json, the CLI's launcher).
        expect(existsSync(join(repoRoot, dir, target)), `${subpath} -> ${target}`).toBe(true);
        continue;
      }
      expect(Object.keys(target), subpath).toEqual([SOURCE_CONDITION, "types", "default"]);
      const source = target[SOURCE_CONDITION]!;
      expect(source, subpath).toMatch(/^\.\/src\/.+\.ts$/);
      expect(existsSync(join(repoRoot, dir, source)), source).toBe(true);
      const built = source.replace(/^\.\/src\//, "./dist/").replace(/\.ts$/, "");
      expect([target.types, target.default], subpath).toEqual([`${built}.d.ts`, `${built}.js`]);
    }
  });

  it("publishes dist/ and everything its exports and bin point at, and no tests", () => {
    const files = manifest.files ?? [];
    expect(files).toContain("dist");
    expect(files.some((f) => f.startsWith("!") && f.endsWith("*.test.ts"))).toBe(true);
    const targets = [
      ...Object.values(manifest.bin ?? {}),
      ...Object.values(manifest.exports).flatMap((t) => (typeof t === "string" ? [t] : Object.values(t))),
    ];
    for (const target of targets) {
      const top = posix.normalize(target).split("/")[0]!;
      expect(top === "package.json" || files.includes(top), `${target} is published`).toBe(true);
    }
  });

  it("references in tsconfig.build.json exactly the workspace packages it depends on", () => {
    const config = readJson<{ references?: { path: string }[] }>(join(repoRoot, dir, "tsconfig.build.json"));
    const referenced = (config.references ?? [])
      .map((ref) => dirname(posix.join(dir, ref.path)))
      .map((refDir) => workspaces.find((w) => w.dir === refDir)?.manifest.name ?? refDir);
    expect(referenced.sort()).toEqual(ours(manifest.dependencies).sort());
  });
});

describe("the workspace", () => {
  it("has no dependency cycle between its packages (the SDK does not depend on the CLI)", () => {
    const state = new Map<string, "visiting" | "done">();
    const visit = (name: string, path: string[]): void => {
      if (state.get(name) === "done") return;
      expect(state.get(name), `cycle: ${[...path, name].join(" -> ")}`).not.toBe("visiting");
      state.set(name, "visiting");
      for (const dep of ours(byName.get(name)!.manifest.dependencies)) visit(dep, [...path, name]);
      state.set(name, "done");
    };
    for (const name of byName.keys()) visit(name, []);
    expect(byName.get("starstreamer")!.manifest.bin).toBeUndefined();
    expect(byName.get("@starstreamer/cli")!.manifest.bin).toEqual({ starstreamer: "./launch.mjs" });
  });

  it("builds every package from the root tsconfig.build.json", () => {
    const root = readJson<{ references: { path: string }[] }>(join(repoRoot, "tsconfig.build.json"));
    expect(root.references.map((ref) => dirname(posix.normalize(ref.path))).sort()).toEqual(
      workspaces.map((w) => w.dir).sort(),
    );
  });
});
