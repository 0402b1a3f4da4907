// Type-checks one module on the shared piscina pool, off the host's event loop. Plain JavaScript:
// pool threads load files as they are, without a TypeScript loader.
//
// The module is checked with what the project's `tsc -p tsconfig.json` sees around it: the
// project's compiler options, and every file of the project (its tsconfig's files, plus every
// module's, for a project without a tsconfig) that declares something for others: .d.ts files and
// files with `declare module` or `declare global` (a provider's service declaration for
// "starstreamer"). What the module imports comes in through its imports, as for tsc. The last
// program is kept between checks (a builder program: unchanged files are neither parsed nor
// checked again), and only the changed module's diagnostics are reported.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
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

/** The last builder program per project (tsconfig file, or root), reused by the next check. */
const builders = new Map();

/** The project's compiler options and root files, as `tsc -p tsconfig.json` reads them. */
function projectSetup(root) {
  const configFile = ts.findConfigFile(root, ts.sys.fileExists, "tsconfig.json");
  if (!configFile) return { key: root, options: FALLBACK_OPTIONS, fileNames: [] };
  const read = ts.readConfigFile(configFile, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(read.config ?? {}, ts.sys, dirname(configFile));
  const options = { ...parsed.options, noEmit: true, incremental: false, composite: false };
  delete options.tsBuildInfoFile;
  return { key: configFile, options, fileNames: parsed.fileNames };
}

function sourceFiles(dir) {
  const out = [];
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".") || entry.name === "node_modules" || entry.name === "data") continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|mts)$/.test(entry.name)) out.push(path);
  }
  return out;
}

/** Parsed files by path, with the modification time they were parsed at (libs and packages rarely change). */
const parsed = new Map();

/** A compiler host that parses a file again only when it changed on disk. */
function cachingHost(options) {
  const host = ts.createIncrementalCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    let mtime = -1;
    try {
      mtime = statSync(fileName).mtimeMs;
    } catch {}
    const cached = parsed.get(fileName);
    if (cached && cached.mtime === mtime && !shouldCreate) return cached.file;
    const file = getSourceFile(fileName, languageVersion, onError, shouldCreate);
    if (file) parsed.set(fileName, { mtime, file });
    return file;
  };
  return host;
}

/** True for a file that declares types other files see without importing it. */
function declaresForOthers(file) {
  if (file.endsWith(".d.ts")) return true;
  try {
    return /\bdeclare\s+(module|global)\b/.test(readFileSync(file, "utf8"));
  } catch {
    return false;
  }
}

/**
 * @param {{ module: string, dir: string, root: string }} input
 * @returns {Promise<{ diagnostics: Array<{ file: string | null, line: number | null, column: number | null, code: number, message: string }>, durationMs: number, files: number }>}
 */
export default async function typeCheckModule({ dir, root }) {
  const started = performance.now();
  const moduleDir = resolve(dir);
  if (!existsSync(moduleDir)) return { diagnostics: [], durationMs: 0, files: 0 };
  const { key, options, fileNames } = projectSetup(root);
  // Every module's files count too (a project's tsconfig may not include the modules folder).
  const declaring = [...new Set([...fileNames, ...sourceFiles(dirname(moduleDir))])].filter(
    (file) => !resolve(file).startsWith(`${moduleDir}/`) && declaresForOthers(file),
  );
  const rootNames = [...sourceFiles(moduleDir), ...declaring];
  const host = cachingHost(options);
  const builder = ts.createSemanticDiagnosticsBuilderProgram(rootNames, options, host, builders.get(key));
  builders.set(key, builder);
  const program = builder.getProgram();
  const diagnostics = [];
  const inModule = (file) => resolve(file.fileName).startsWith(`${moduleDir}/`);
  for (const file of program.getSourceFiles()) {
    if (!inModule(file)) continue;
    for (const d of [...builder.getSyntacticDiagnostics(file), ...builder.getSemanticDiagnostics(file)]) {
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
