import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../paths.ts";

const CODE = /^SS_[A-Z0-9_]+$/;

/** Every `src/errors.ts` of a workspace package (packages/* and apps/*), and each module's `errors.ts`. */
function errorsFiles(): string[] {
  const found: string[] = [];
  const modules = join(repoRoot, "modules");
  if (existsSync(modules)) {
    for (const name of readdirSync(modules)) {
      const file = join(modules, name, "errors.ts");
      if (existsSync(file)) found.push(file);
    }
  }
  for (const group of ["packages", "apps"]) {
    const dir = join(repoRoot, group);
    if (!existsSync(dir)) continue;
    for (const pkg of readdirSync(dir)) {
      const file = join(dir, pkg, "src", "errors.ts");
      if (existsSync(file)) found.push(file);
    }
  }
  return found;
}

/** The codes each errors.ts exports in its `...ErrorCodes` objects, by file. */
async function declaredCodes(): Promise<Map<string, string>> {
  const codes = new Map<string, string>();
  for (const file of errorsFiles()) {
    const exports = (await import(file)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(exports)) {
      if (!name.endsWith("ErrorCodes") || value === null || typeof value !== "object") continue;
      for (const code of Object.values(value)) {
        if (typeof code === "string" && CODE.test(code)) codes.set(code, relative(repoRoot, file));
      }
    }
  }
  return codes;
}

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((path) => /\.(ts|mts)$/.test(path) && !/\.(test|spec)\.ts$/.test(path) && !path.endsWith(".d.ts"))
    .map((path) => join(dir, path));
}

/** `SS_...` string literals in package sources outside tests: codes raised without a constant. */
function literalCodes(): Map<string, string> {
  const codes = new Map<string, string>();
  for (const group of ["packages", "apps"]) {
    const dir = join(repoRoot, group);
    if (!existsSync(dir)) continue;
    for (const pkg of readdirSync(dir)) {
      for (const file of sourceFiles(join(dir, pkg, "src"))) {
        for (const m of readFileSync(file, "utf8").matchAll(/["'`](SS_[A-Z0-9_]+)["'`]/g)) {
          codes.set(m[1]!, relative(repoRoot, file));
        }
      }
    }
  }
  return codes;
}

/** The codes docs/errors.md documents: one `### SS_...` heading each. */
function documentedCodes(): string[] {
  const doc = readFileSync(join(repoRoot, "docs", "errors.md"), "utf8");
  return [...doc.matchAll(/^###\s+`?(SS_[A-Z0-9_]+)`?\s*$/gm)].map((m) => m[1]!);
}

describe("docs/errors.md and the packages' errors.ts", () => {
  it("finds the error codes of the SDK, the runtime and storage", async () => {
    const declared = await declaredCodes();
    expect(declared.size).toBeGreaterThan(20);
    for (const code of ["SS_EVENT_INVALID", "SS_MODULE_BUILD_FAILED", "SS_STORAGE_OPEN_FAILED"]) {
      expect(declared.has(code), code).toBe(true);
    }
  });

  it("documents each code once", () => {
    const documented = documentedCodes();
    const repeated = documented.filter((code, i) => documented.indexOf(code) !== i);
    expect(repeated).toEqual([]);
  });

  it("documents every code the packages declare or raise, and no other", async () => {
    const inCode = new Map([...literalCodes(), ...(await declaredCodes())]);
    const documented = new Set(documentedCodes());
    const undocumented = [...inCode].filter(([code]) => !documented.has(code)).map(([c, f]) => `${c} (${f})`);
    const stale = [...documented].filter((code) => !inCode.has(code));
    expect(undocumented, "codes missing from docs/errors.md").toEqual([]);
    expect(stale, "codes in docs/errors.md that no package declares or raises").toEqual([]);
  });
});
