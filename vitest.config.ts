import { defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";

/**
 * StarStreamer's packages export their TypeScript sources under this condition and their compiled
 * dist/ otherwise: tests always run on the sources, with no build step (see docs/packaging.md).
 */
const SOURCE_CONDITION = "@starstreamer/source";

export default defineConfig({
  // Imports vitest transforms (workspace packages are linked, so they are transformed, not external).
  resolve: { conditions: [SOURCE_CONDITION, ...defaultServerConditions] },
  ssr: { resolve: { conditions: [SOURCE_CONDITION, ...defaultServerConditions] } },
  test: {
    include: [
      "packages/*/src/**/*.test.ts",
      "apps/*/src/**/*.test.ts",
      "test/**/*.test.ts",
      "modules/*/**/*.test.ts",
    ],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    // What Node itself resolves in a test process (createRequire, worker threads loading
    // TypeScript through tsx) and in the processes tests start (the CLI, node --import tsx).
    execArgv: [`--conditions=${SOURCE_CONDITION}`],
    env: { NODE_OPTIONS: `--conditions=${SOURCE_CONDITION} ${process.env.NODE_OPTIONS ?? ""}`.trim() },
  },
});
