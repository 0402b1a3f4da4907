import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["modules/**/*.test.ts"],
    // A module test starts a real host with real workers: allow for a busy machine.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
