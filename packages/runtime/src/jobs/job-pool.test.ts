import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JobPool } from "./job-pool.ts";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "starstreamer-jobs-"));
  writeFileSync(join(dir, "square.mjs"), "export default (n) => n * n;\n");
  writeFileSync(
    join(dir, "spin.mjs"),
    "export default (ms) => { const end = Date.now() + ms; while (Date.now() < end); return ms; };\n",
  );
  writeFileSync(join(dir, "fail.mjs"), 'export default () => { throw new Error("job broke"); };\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("JobPool", () => {
  it("runs a job file's default export on a pool thread", async () => {
    const pool = new JobPool({ threads: 2 });
    try {
      expect(await Promise.all([1, 2, 3].map((n) => pool.run(join(dir, "square.mjs"), n)))).toEqual([
        1, 4, 9,
      ]);
      await expect(pool.run(join(dir, "fail.mjs"), null)).rejects.toThrow("job broke");
    } finally {
      await pool.close();
    }
  });

  it("cancels a job past its timeout with SS_JOBS_TIMEOUT", async () => {
    const pool = new JobPool({ threads: 1 });
    try {
      await expect(
        pool.run(join(dir, "spin.mjs"), 2000, { timeoutMs: 100, name: "spin" }),
      ).rejects.toMatchObject({
        code: "SS_JOBS_TIMEOUT",
      });
    } finally {
      await pool.close();
    }
  });

  it("refuses work beyond its bounded queue with SS_JOBS_QUEUE_FULL", async () => {
    const pool = new JobPool({ threads: 1, maxQueue: 2 });
    try {
      const runs = Array.from({ length: 6 }, () =>
        pool.run(join(dir, "spin.mjs"), 100).catch((e: unknown) => e),
      );
      const results = await Promise.all(runs);
      const refused = results.filter((r) => (r as { code?: string }).code === "SS_JOBS_QUEUE_FULL");
      expect(refused.length).toBeGreaterThan(0);
      expect(refused).toHaveLength(3);
      expect(results.filter((r) => r === 100)).toHaveLength(3);
    } finally {
      await pool.close();
    }
  });
});
