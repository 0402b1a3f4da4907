import { join } from "node:path";
import { repoRoot } from "../paths.ts";

export { moduleDir, repoRoot } from "../paths.ts";

/** A module folder made for the admin tests (test/admin/fixtures/<name>). */
export const fixture = (name: string) => join(repoRoot, "test", "admin", "fixtures", name);
