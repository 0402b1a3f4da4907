import { realpathSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, sep } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);

/** The packages whose sources make up the running framework (the host process imports them). */
const FRAMEWORK_PACKAGES = [
  "starstreamer",
  "@starstreamer/runtime",
  "@starstreamer/plugins",
  "@starstreamer/storage",
];

/**
 * The framework's own source folders, where a change restarts the host in `dev`: the SDK, the
 * runtime, the plugins, storage and the CLI. Folders inside node_modules are left out: an installed
 * framework does not change while you work (and node_modules is never watched).
 */
export function frameworkSourceDirs(): string[] {
  const dirs = new Set<string>([realpathSync(dirname(dirname(fileURLToPath(import.meta.url))))]);
  for (const name of FRAMEWORK_PACKAGES) {
    try {
      // Through package.json: Node's require resolver does not see the source condition, and the
      // sources (not dist/) are what a framework developer edits.
      dirs.add(join(dirname(realpathSync(require.resolve(`${name}/package.json`))), "src"));
    } catch {
      // Not installed (the plugins package is optional for a bare SDK install): nothing to watch.
    }
  }
  return [...dirs].filter((d) => !d.split(sep).includes("node_modules")).sort();
}

/** The CLI's launcher, which registers tsx and runs the CLI; the supervisor starts hosts with it. */
export const launcherPath: string = join(
  dirname(dirname(dirname(fileURLToPath(import.meta.url)))),
  "launch.mjs",
);
