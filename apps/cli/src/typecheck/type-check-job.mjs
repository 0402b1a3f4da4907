// Type-checks one module on the shared piscina pool, off the host's event loop. Plain JavaScript:
// pool threads load files as they are, without a TypeScript loader.
import { existsSync, readdirSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";

const FALLBACK_OPTIONS = {
  target: ts.ScriptTarget.ES2023,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  allowImportingTsExtensions: true,
  skipLibCheck: true,
  esModuleInterop: true,
  resolveJsonModule: true,
};

/** The previous program per module, so the next check reuses what did not change. */
const programs = new Map();
/** Compiler options per tsconfig file. */
const optionsCache = new Map();

function compilerOptions(root) {
  const configFile = ts.findConfigFile(root, ts.sys.fileExists, "tsconfig.json");
  if (!configFile) return FALLBACK_OPTIONS;
  const cached = optionsCache.get(configFile);
  if (cached) return cached;
  const read = ts.readConfigFile(configFile, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(read.config ?? {}, ts.sys, dirname(configFile));
  const options = { ...parsed.options, noEmit: true, incremental: false, composite: false };
  optionsCache.set(configFile, options);
  return options;
}

function sourceFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|mts)$/.test(entry.name) && !/\.d\.ts$/.test(entry.name)) out.push(path);
  }
  return out;
}

/**
 * @param {{ module: string, dir: string, root: string }} input
 * @returns {Promise<{ diagnostics: Array<{ file: string | null, line: number | null, column: number | null, code: number, message: string }>, durationMs: number, files: number }>}
 */
export default async function typeCheckModule({ module, dir, root }) {
  const started = performance.now();
  const moduleDir = resolve(dir);
  if (!existsSync(moduleDir)) return { diagnostics: [], durationMs: 0, files: 0 };
  const rootNames = sourceFiles(moduleDir);
  const program = ts.createProgram({
    rootNames,
    options: compilerOptions(root),
    oldProgram: programs.get(module),
  });
  programs.set(module, program);
  const diagnostics = [];
  const inModule = (file) => file !== undefined && resolve(file.fileName).startsWith(`${moduleDir}/`);
  for (const file of program.getSourceFiles()) {
    if (!inModule(file)) continue;
    for (const d of [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)]) {
      const position =
        d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
      diagnostics.push({
        file: d.file ? relative(root, d.file.fileName) : null,
        line: position ? position.line + 1 : null,
        column: position ? position.character + 1 : null,
        code: d.code,
        message: ts.flattenDiagnosticMessageText(d.messageText, " "),
      });
    }
  }
  return { diagnostics, durationMs: performance.now() - started, files: rootNames.length };
}
