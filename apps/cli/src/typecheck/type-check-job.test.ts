import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import check from "./type-check-job.mjs";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");

const provider = `import { defineModule } from "starstreamer";

/** What other modules can ask of the points module. */
export interface PointsService {
  balance(login: string): Promise<number>;
}

declare module "starstreamer" {
  interface Services {
    points: PointsService;
  }
}

export default defineModule({
  name: "points",
  version: "1.0.0",
  provides: ["points"],
  initialize(ctx) {
    ctx.provide("points", { balance: async () => 0 });
  },
});
`;
const consumer = (body: string) => `import { command, defineModule, on } from "starstreamer";

export default defineModule({
  name: "shop",
  version: "1.0.0",
  requires: ["points"],
  registerActions() {
    on("twitch.chat.message", command("!buy"), async function buy(event, ctx) {
${body}
    });
  },
});
`;

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "starstreamer-typecheck-"));
  symlinkSync(join(repoRoot, "node_modules"), join(root, "node_modules"), "dir");
  writeFileSync(join(root, "package.json"), JSON.stringify({ type: "module", private: true }));
  writeFileSync(
    join(root, "tsconfig.json"),
    JSON.stringify({ extends: join(repoRoot, "tsconfig.base.json"), include: ["modules"] }),
  );
  for (const name of ["points", "shop"]) mkdirSync(join(root, "modules", name), { recursive: true });
  writeFileSync(join(root, "modules", "points", "module.ts"), provider);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("the background type-check", () => {
  it("sees a provider's service declaration in another module, as tsc -p tsconfig.json does", async () => {
    writeFileSync(
      join(root, "modules", "shop", "module.ts"),
      consumer(`      const points: number = await ctx.services.points.balance(event.data.user.login);
      await ctx.twitch.sendMessage(String(points));`),
    );
    const result = await check({ module: "shop", dir: join(root, "modules", "shop"), root });
    expect(result.diagnostics).toEqual([]);
  }, 120_000);

  it("reports the module's own type errors with file and line, on the next check of the same program", async () => {
    writeFileSync(
      join(root, "modules", "shop", "module.ts"),
      consumer(`      const points: string = await ctx.services.points.balance(event.data.user.login);
      await ctx.twitch.sendMessage(points);`),
    );
    const result = await check({ module: "shop", dir: join(root, "modules", "shop"), root });
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]).toMatchObject({ file: "modules/shop/module.ts", line: 9, code: 2322 });
  }, 120_000);
});
