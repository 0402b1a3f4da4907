import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const repoRoot = dirname(dirname(fileURLToPath(import.meta.url)));
/** A module folder in the repository's modules/ directory. */
export const moduleDir = (name: string) => join(repoRoot, "modules", name);
/** A test fixture module folder. */
export const fixture = (name: string) => join(repoRoot, "test", "fixtures", "modules", name);
/** A benchmark stand-in module (bench/modules/), for tests that need the same behaviour. */
export const benchModule = (name: string) => join(repoRoot, "bench", "modules", name);
