import { fileURLToPath } from "node:url";
import type { JobPool } from "@starstreamer/runtime";

/** One TypeScript error in a module. */
export interface TypeDiagnostic {
  file: string | null;
  line: number | null;
  column: number | null;
  code: number;
  message: string;
}

/** What a check found. */
export interface TypeCheckResult {
  module: string;
  diagnostics: TypeDiagnostic[];
  durationMs: number;
}

/** The job file the pool runs: plain ESM, so pool threads need no TypeScript loader. */
export const typeCheckJobFile: string = fileURLToPath(new URL("./type-check-job.mjs", import.meta.url));

/** Background type-checking of modules after a reload. */
export interface TypeChecker {
  /** Queues a check of the module; returns at once. At most one check per module runs. */
  check(module: string, dir: string): void;
  close(): void;
}

/**
 * Type-checks changed modules on the host's job pool. A check never delays or blocks a reload:
 * it starts after the reload is live, and a change during a check queues exactly one more.
 */
export function createTypeChecker(options: {
  jobs: JobPool;
  root: string;
  report(result: TypeCheckResult): void;
  onError?(module: string, error: Error): void;
}): TypeChecker {
  const running = new Set<string>();
  const again = new Map<string, string>();
  let closed = false;
  const run = (module: string, dir: string) => {
    running.add(module);
    options.jobs
      .run<{ diagnostics: TypeDiagnostic[]; durationMs: number }>(
        typeCheckJobFile,
        { module, dir, root: options.root },
        { timeoutMs: 120_000, name: "type-check" },
      )
      .then(
        (result) => {
          if (!closed) options.report({ module, ...result });
        },
        (error: Error) => {
          if (!closed) options.onError?.(module, error);
        },
      )
      .finally(() => {
        running.delete(module);
        const next = again.get(module);
        again.delete(module);
        if (next !== undefined && !closed) run(module, next);
      });
  };
  return {
    check(module, dir) {
      if (closed) return;
      if (running.has(module)) again.set(module, dir);
      else run(module, dir);
    },
    close() {
      closed = true;
      again.clear();
    },
  };
}
