import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { VendorBundles } from "./vendor-bundles.ts";

const require = createRequire(import.meta.url);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "ss-vendor-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Imports `url` in a fresh worker thread (as a module worker does) and runs `body` with `z`. */
function inWorker(url: string, body: string): Promise<unknown> {
  const script = `
    const { parentPort, workerData } = require("node:worker_threads");
    import(workerData).then(({ z }) => parentPort.postMessage((() => { ${body} })()),
      (error) => parentPort.postMessage({ error: String(error) }));`;
  const worker = new Worker(script, { eval: true, workerData: url });
  return new Promise((resolve, reject) => {
    worker.once("message", (message) => {
      void worker.terminate();
      resolve(message);
    });
    worker.once("error", reject);
  });
}

describe("VendorBundles", () => {
  it("leaves zod's translations out of its bundle and still loads one when a module asks for it", async () => {
    const vendor = new VendorBundles(dir);
    const url = await vendor.urlFor("zod", require.resolve("zod").replace(/\.cjs$/, ".js"));
    expect(url).toMatch(/zod@[^/]+\.min2\.mjs$/);
    const text = readFileSync(fileURLToPath(url as string), "utf8");
    // French, German... are not in the bundle; English, the default, is.
    expect(text).not.toContain("Entrée invalide");
    expect(text).not.toContain("Ungültige Eingabe");
    expect(text).toContain("Invalid input");
    const parse = "return z.object({ a: z.string() }).safeParse({ a: 1 }).error.issues[0].message;";
    expect(await inWorker(url as string, parse)).toBe("Invalid input: expected string, received number");
    expect(await inWorker(url as string, `z.config(z.locales.fr()); ${parse}`)).toBe(
      "Entrée invalide : chaîne de caractères attendu, nombre reçu",
    );
    expect(await inWorker(url as string, "return Object.keys(z.locales).length;")).toBeGreaterThan(50);
  });
});
