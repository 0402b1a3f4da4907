import { relative } from "node:path";
import type { Host, HostLogger } from "@starstreamer/runtime";
import type { ResolvedConfig } from "../config/load-config.ts";
import type { Terminal } from "../terminal/terminal.ts";
import { createTypeChecker, type TypeChecker, type TypeDiagnostic } from "../typecheck/type-checker.ts";
import { type ModuleWatcher, watchModules } from "../watch/module-watcher.ts";
import { describeChange } from "./change-lines.ts";
import type { ModuleNotes } from "./module-notes.ts";

/** The file watching of a running bot: the module watcher, and in dev the background type-check. */
export interface DevWatch {
  close(): Promise<void>;
}

/**
 * Watches the modules folder and applies each change through the host (load, reload, unload);
 * in `dev`, type-checks a module after it went live and prints type errors without delaying it.
 */
export async function startDevWatch(
  host: Host,
  config: ResolvedConfig,
  options: {
    mode: "dev" | "start";
    terminal: Terminal;
    logger: HostLogger;
    stopping(): boolean;
    /** Changes made here are logged once, in the CLI's words; failed reloads are remembered. */
    notes: ModuleNotes;
    /** Each type-check result (the admin page shows type errors). */
    onTypeCheck?(report: { module: string; diagnostics: TypeDiagnostic[] }): void;
  },
): Promise<DevWatch> {
  const { logger, terminal } = options;
  let typeChecker: TypeChecker | null = null;
  if (options.mode === "dev") {
    typeChecker = createTypeChecker({
      jobs: host.jobs,
      root: config.root,
      report: ({ module, diagnostics, durationMs }) => {
        options.onTypeCheck?.({ module, diagnostics });
        if (diagnostics.length === 0) {
          logger.debug(`types ok in ${Math.round(durationMs)} ms`, { module });
          return;
        }
        logger.warn(
          `${diagnostics.length} type error${diagnostics.length > 1 ? "s" : ""} (the new version runs anyway):`,
          {
            module,
          },
        );
        for (const d of diagnostics) {
          terminal.print(
            `  ${d.file ?? "?"}:${d.line ?? 0}:${d.column ?? 0} TS${d.code} ${d.message}`,
            "stderr",
          );
        }
      },
      onError: (module, error) => logger.debug(`type check did not run: ${error.message}`, { module }),
    });
  }
  const watcher: ModuleWatcher = watchModules({
    applyChange: (module, files) => options.notes.changing(module, () => host.applyChange(module, files)),
    modulesDir: config.modulesDir,
    dirs: config.moduleWatchDirs,
    debounceMs: config.reload.debounceMs,
    exclude: [config.dataDir],
    onSeen: (module, path) => logger.debug(`changed: ${relative(config.root, path)}`, { module }),
    onChange: (change) => {
      if (options.stopping()) return;
      if (change.action === "reloaded") options.notes.reloaded(change.module, null);
      if (change.action === "failed" && change.kept) options.notes.reloaded(change.module, change.error);
      const { level, text } = describeChange(change, config.root);
      logger.log(level, text, { module: change.module });
      if ((change.action === "reloaded" || change.action === "loaded") && typeChecker) {
        typeChecker.check(change.module, host.registry.info(change.module).dir);
      }
    },
  });
  await watcher.ready;
  return {
    async close() {
      typeChecker?.close();
      await watcher.close().catch(() => {});
    },
  };
}
